// The one place where "N clicks landed for entry E owned by user U" happens. LinkCounter calls it
// from its flush (an alarm), once per batch of clicks, after the batch reached D1; a batch is never
// reported twice unless the flush itself is retried after a failure in this function.
//
// The link rate limiter (issue 4) hooks in here: each click costs the owner 1000 from the `link`
// bucket, and owners whose bucket runs dry get 429 on their links within the flush lag, without a
// Durable Object round trip on the redirect of an unlimited link.

export interface LandedClicks {
  entryId: number;
  userid: string;
  /** clicks on the short URL (count) in this batch */
  clicks: number;
  /** QR scans (count_qr) in this batch */
  qrClicks: number;
  /** when the batch was flushed, µs */
  flushedAtUs: number;
}

export async function clicksLanded(_env: Cloudflare.Env, _batch: LandedClicks): Promise<void> {
  // Nothing to do until the link limiter exists.
}
