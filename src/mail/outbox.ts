// GET /-/outbox: the local outbox, newest first, as JSON (`?to=<address>` filters, `?limit=` up to
// 100, default 20). It exists only when MAIL_OUTBOX = "d1" (local configuration); otherwise the
// route passes the request on, so the worker answers exactly as for any unknown path.
import { desc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { getDb } from "../db/client";
import { mailOutbox } from "../db/schema";
import { getSettings } from "../settings";

export const outboxRoutes = new Hono<{ Bindings: Cloudflare.Env }>();

outboxRoutes.get("/outbox", async (c, next) => {
  if (getSettings(c.env).mailOutbox !== "d1") return next();
  const to = c.req.query("to")?.toLowerCase();
  const limit = Math.min(100, Math.max(1, Number.parseInt(c.req.query("limit") ?? "20", 10) || 20));
  const rows = await getDb(c.env.DB)
    .select()
    .from(mailOutbox)
    .where(to ? eq(mailOutbox.toAddress, to) : undefined)
    .orderBy(desc(mailOutbox.id))
    .limit(limit)
    .all();
  return c.json(
    rows.map((r) => ({
      id: r.id,
      to: r.toAddress,
      from: r.fromAddress,
      subject: r.subject,
      utime: r.createUtime,
      message_id: r.messageId,
      text: r.text,
      html: r.html,
    })),
    200,
    { "cache-control": "no-store" },
  );
});
