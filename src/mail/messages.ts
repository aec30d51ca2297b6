// The mails the service sends: a plain-text and an HTML body with the same content. Links are built
// from the call's origin (PUBLIC_ORIGIN, or the request's own origin).
import type { MailMessage } from "./send";

/** The reset page's link. Code and email travel in the fragment, which never reaches a server log. */
export function resetLink(origin: string, email: string, code: string): string {
  return `${origin}/-/reset#code=${code}&email=${encodeURIComponent(email)}`;
}

/** The verification link; opening it (GET) verifies the address. */
export function verifyLink(origin: string, code: string): string {
  return `${origin}/-/verify?code=${code}`;
}

function duration(seconds: number): string {
  if (seconds % 86400 === 0) return seconds === 86400 ? "24 hours" : `${seconds / 86400} days`;
  if (seconds % 3600 === 0) return seconds === 3600 ? "1 hour" : `${seconds / 3600} hours`;
  const m = Math.max(1, Math.round(seconds / 60));
  return m === 1 ? "1 minute" : `${m} minutes`;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);

function htmlBody(heading: string, lines: string[], link: string, action: string, footer: string): string {
  const muted = 'style="color:#5c6478;font-size:.9rem"';
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<title>${esc(heading)}</title></head>`,
    "<body style=\"font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;line-height:1.5;color:#1d2433\">",
    `<h1 style="font-size:1.3rem">${esc(heading)}</h1>`,
    ...lines.map((l) => `<p>${esc(l)}</p>`),
    `<p><a href="${esc(link)}" style="display:inline-block;padding:.6rem 1rem;background:#3b5bdb;color:#fff;border-radius:6px;text-decoration:none">${esc(action)}</a></p>`,
    `<p ${muted}>If the button does not work, open this address:<br>${esc(link)}</p>`,
    `<p ${muted}>${esc(footer)}</p>`,
    "</body></html>",
  ].join("\n");
}

export function resetPasswordMail(to: string, link: string, lifetimeS: number): MailMessage {
  const valid = `The link works once, for ${duration(lifetimeS)}.`;
  const footer = "If you did not ask for this, ignore this mail: your password stays as it is.";
  return {
    to,
    subject: "Reset your ww7 password",
    text: [
      "Someone (hopefully you) asked to reset the password of your ww7 account.",
      "",
      "Set a new password here:",
      link,
      "",
      valid,
      footer,
      "",
    ].join("\n"),
    html: htmlBody(
      "Reset your ww7 password",
      ["Someone (hopefully you) asked to reset the password of your ww7 account.", valid],
      link,
      "Set a new password",
      footer,
    ),
  };
}

export function verifyEmailMail(to: string, link: string, lifetimeS: number): MailMessage {
  const valid = `The link works once, for ${duration(lifetimeS)}.`;
  const footer = "If you did not ask for this, ignore this mail.";
  return {
    to,
    subject: "Confirm your email address for ww7",
    text: [
      "Please confirm that this is the email address of your ww7 account by opening this link:",
      link,
      "",
      valid,
      footer,
      "",
    ].join("\n"),
    html: htmlBody(
      "Confirm your email address",
      ["Please confirm that this is the email address of your ww7 account.", valid],
      link,
      "Confirm my address",
      footer,
    ),
  };
}
