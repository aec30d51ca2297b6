// The one place where "N clicks landed for entry E owned by user U" happens. LinkCounter calls it
// from its flush (an alarm), once per batch of clicks, after the batch reached D1; a batch is never
// reported twice unless the flush itself is retried after a failure in this function.
//
// Here each click and QR scan costs the owner 1000 from its `link` bucket (src/limits/link-gate.ts);
// owners whose bucket runs dry get 429 on their links within the gate's lag, without a Durable
// Object round trip on the redirect of an unlimited link.
import { chargeLinkClicks } from "../limits/link-gate";

export interface LandedClicks {
  entryId: number;
  userid: string;
  /** clicks on the short URL (count) in this batch */
  clicks: number;
  /** QR scans (count_qr) in this batch */
  qrClicks: number;
}

export async function clicksLanded(env: Cloudflare.Env, batch: LandedClicks): Promise<void> {
  const redirects = batch.clicks + batch.qrClicks;
  if (redirects > 0) await chargeLinkClicks(env, batch.userid, redirects);
}
