// Sending mail: one small interface over Cloudflare Email Service's `send_email` binding (MAIL),
// with the local outbox beside it. Callers build a MailMessage and never touch the binding.
import { nowUs } from "../api/clock";
import { getDb } from "../db/client";
import { mailOutbox } from "../db/schema";
import { getSettings } from "../settings";

export interface MailMessage {
  to: string;
  subject: string;
  /** the plain-text body */
  text: string;
  /** the HTML body (same content) */
  html: string;
}

export interface MailResult {
  /** the binding's message id; "" when the binding refused or is absent */
  messageId: string;
}

/**
 * Sends `message` from MAIL_FROM through the MAIL binding. With MAIL_OUTBOX = "d1" (local only) the
 * message is also kept in the mail_outbox table, whatever the binding answered, so a developer
 * (and the tests) can read what was sent. Never logs a body: bodies carry one-time links.
 */
export async function sendMail(env: Cloudflare.Env, message: MailMessage): Promise<MailResult> {
  const settings = getSettings(env);
  const from = settings.mailFromName ? { email: settings.mailFrom, name: settings.mailFromName } : settings.mailFrom;
  let messageId = "";
  let failure: unknown = null;
  try {
    if (!env.MAIL) throw new Error("no MAIL binding");
    ({ messageId } = await env.MAIL.send({ from, ...message }));
  } catch (err) {
    failure = err;
  }
  if (settings.mailOutbox === "d1") {
    await getDb(env.DB).insert(mailOutbox).values({
      toAddress: message.to.toLowerCase(),
      fromAddress: settings.mailFrom,
      subject: message.subject,
      text: message.text,
      html: message.html,
      messageId,
      createUtime: nowUs(),
    });
  }
  if (failure !== null) {
    // The subject and the binding's error only (its message carries an error code), never the body.
    console.error("mail not sent:", message.subject, failure instanceof Error ? failure.message : "error");
    if (settings.mailOutbox !== "d1") throw failure;
  }
  return { messageId };
}
