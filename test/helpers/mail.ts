// Reading what the worker sent from the local outbox (MAIL_OUTBOX = "d1" in vitest.config.ts).
import { env } from "cloudflare:workers";
import { vi } from "vitest";

export interface SentMail {
  id: number;
  to_address: string;
  from_address: string;
  subject: string;
  text: string;
  html: string;
  message_id: string;
}

/** The mails sent to `to` (any case), oldest first. */
export async function mailsTo(to: string): Promise<SentMail[]> {
  const { results } = await env.DB.prepare("SELECT * FROM mail_outbox WHERE to_address = ? ORDER BY id")
    .bind(to.toLowerCase())
    .all<SentMail>();
  return results;
}

/** Waits for the `n`-th mail to `to` (mail goes out after the answer, through waitUntil). */
export async function nthMail(to: string, n = 1): Promise<SentMail> {
  return vi.waitFor(
    async () => {
      const mail = (await mailsTo(to))[n - 1];
      if (!mail) throw new Error(`mail ${n} to ${to} not sent yet`);
      return mail;
    },
    { timeout: 5000, interval: 20 },
  );
}

/** The reset link's code and email, from the fragment of the link in the plain-text body. */
export function resetLinkOf(mail: SentMail): { url: string; code: string; email: string } {
  const m = mail.text.match(/(https?:\/\/\S+\/-\/reset#code=([0-9a-f]{32})&email=(\S+))/);
  if (!m?.[1] || !m[2] || !m[3]) throw new Error("no reset link in the mail");
  return { url: m[1], code: m[2], email: decodeURIComponent(m[3]) };
}

/** The verification link in the plain-text body. */
export function verifyLinkOf(mail: SentMail): { url: string; code: string } {
  const m = mail.text.match(/(https?:\/\/\S+\/-\/verify\?code=([0-9a-f]{32}))/);
  if (!m?.[1] || !m[2]) throw new Error("no verification link in the mail");
  return { url: m[1], code: m[2] };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
