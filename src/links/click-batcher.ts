// Background counting of clicks on unlimited links. A redirect never waits for it: the click is
// added to this isolate's pending batch, and the first click of a batch schedules (through its
// request's waitUntil, which keeps the isolate alive for it) one send to each clicked entry's
// LinkCounter after CLICK_BATCH_MS. Under load that is one Durable Object call per entry per
// CLICK_BATCH_MS per isolate instead of one per click. A failed send is retried with backoff
// within the waitUntil budget (about 30 s). See docs/links.md.
import { counterFor } from "./link-counter";

/** How long a click waits in its isolate before its batch goes to the LinkCounter. */
export const CLICK_BATCH_MS = 50;
/** Waits between attempts of a failed send (the total stays well under waitUntil's 30 s). */
const RETRY_DELAYS_MS = [100, 400, 1600, 6400];

interface Pending {
  env: Cloudflare.Env;
  clicks: number;
  qrClicks: number;
}

let pending = new Map<number, Pending>();
let scheduled = false;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Counts one click of an unlimited link, in the background. */
export function countInBackground(
  env: Cloudflare.Env,
  entryId: number,
  qr: boolean,
  waitUntil: (p: Promise<unknown>) => void,
): void {
  let p = pending.get(entryId);
  if (!p) {
    p = { env, clicks: 0, qrClicks: 0 };
    pending.set(entryId, p);
  }
  if (qr) p.qrClicks += 1;
  else p.clicks += 1;
  if (!scheduled) {
    scheduled = true;
    waitUntil(
      sleep(CLICK_BATCH_MS).then(() => {
        scheduled = false;
        const batch = pending;
        pending = new Map();
        return Promise.all([...batch].map(([id, q]) => send(id, q)));
      }),
    );
  }
}

/**
 * Sends this isolate's pending clicks of one entry now (get_entry calls it, so that an entry read
 * right after clicks in the same isolate is exact at once).
 */
export async function sendPendingClicks(entryId: number): Promise<void> {
  const p = pending.get(entryId);
  if (!p) return;
  pending.delete(entryId);
  await send(entryId, p);
}

async function send(entryId: number, p: Pending): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await counterFor(p.env, entryId).record(entryId, p.clicks, p.qrClicks);
      return;
    } catch (err) {
      const delay = RETRY_DELAYS_MS[attempt];
      if (delay === undefined) {
        console.error(
          `clicks not counted for entry ${entryId} (${p.clicks} + ${p.qrClicks} qr):`,
          err instanceof Error ? err.message : "error",
        );
        return;
      }
      await sleep(delay);
    }
  }
}
