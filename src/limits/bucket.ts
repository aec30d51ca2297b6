// Token-bucket arithmetic, pure: no clock, no storage. A bucket holds a whole number of tokens
// (weight units), is refilled lazily from the time of its last update, and never holds more than
// its capacity. The refill is computed in BigInt so that it is exact for any elapsed time (µs times
// rate overflows 2^53 for the link bucket), and the fraction of a token not yet earned is kept by
// advancing the update time only by the time the whole tokens took (lucia's approach).

export const US_PER_SECOND = 1_000_000;

/** What a bucket may hold and how fast it refills (settings, per account type). */
export interface BucketLimits {
  capacity: number;
  refillPerSecond: number;
}

/** A bucket's stored state. */
export interface BucketState {
  /** whole tokens; the link bucket may go below 0 (clicks charged after the fact) */
  balance: number;
  /** when `balance` was exact, in Unix µs */
  updatedAtUs: number;
}

/** A full bucket, as every bucket starts. */
export function fullBucket(limits: BucketLimits, nowUs: number): BucketState {
  return { balance: limits.capacity, updatedAtUs: nowUs };
}

/**
 * The state at `nowUs` after the lazy refill. A clock that went backwards refills nothing. When the
 * bucket reaches its capacity the update time becomes `nowUs` (nothing accrues beyond full);
 * otherwise it advances by the whole µs the added tokens took, so a fraction in progress is not lost.
 */
export function refill(limits: BucketLimits, state: BucketState, nowUs: number): BucketState {
  if (state.balance >= limits.capacity) {
    return { balance: Math.min(state.balance, limits.capacity), updatedAtUs: Math.max(nowUs, state.updatedAtUs) };
  }
  const elapsedUs = nowUs - state.updatedAtUs;
  if (elapsedUs <= 0 || limits.refillPerSecond <= 0) return state;
  const missing = limits.capacity - state.balance;
  const earned = (BigInt(elapsedUs) * BigInt(limits.refillPerSecond)) / BigInt(US_PER_SECOND);
  if (earned >= BigInt(missing)) return { balance: limits.capacity, updatedAtUs: nowUs };
  const added = Number(earned);
  if (added === 0) return state;
  // The µs the `added` tokens took, rounded down: exact when a token takes a whole number of µs
  // (every default rate divides 10^6); otherwise the fraction of a µs left over is credited to the
  // next token, so a bucket never loses refill to rounding.
  const usedUs = Number((earned * BigInt(US_PER_SECOND)) / BigInt(limits.refillPerSecond));
  return { balance: state.balance + added, updatedAtUs: state.updatedAtUs + usedUs };
}

export type TakeResult =
  | { ok: true; state: BucketState; balanceBefore: number }
  | { ok: false; state: BucketState; balanceBefore: number; retryAfterS: number };

/**
 * Takes `weight` tokens at `nowUs` if the refilled balance holds them; otherwise takes nothing and
 * says in how many whole seconds (at least 1) it would fit. A weight above the capacity never fits:
 * its retryAfterS is the time until the bucket is full.
 */
export function take(limits: BucketLimits, state: BucketState, weight: number, nowUs: number): TakeResult {
  const now = refill(limits, state, nowUs);
  if (weight <= now.balance) {
    return {
      ok: true,
      state: { balance: now.balance - weight, updatedAtUs: now.updatedAtUs },
      balanceBefore: now.balance,
    };
  }
  const target = Math.min(weight, limits.capacity);
  return { ok: false, state: now, balanceBefore: now.balance, retryAfterS: secondsToReach(limits, now, target, nowUs) };
}

/**
 * Takes `weight` tokens whatever the balance (the link bucket: clicks are charged once they have
 * happened). The balance may go below 0, down to -capacity: the owner then pays the overdraft back
 * from the refill before its links work again.
 */
export function debit(limits: BucketLimits, state: BucketState, weight: number, nowUs: number): BucketState {
  const now = refill(limits, state, nowUs);
  return { balance: Math.max(now.balance - weight, -limits.capacity), updatedAtUs: now.updatedAtUs };
}

/** Gives back `weight` tokens (an over-charge), never beyond the capacity. */
export function credit(limits: BucketLimits, state: BucketState, weight: number, nowUs: number): BucketState {
  const now = refill(limits, state, nowUs);
  return { balance: Math.min(now.balance + weight, limits.capacity), updatedAtUs: now.updatedAtUs };
}

/** Whole seconds (at least 1) until the balance of `state` (refilled at `nowUs`) reaches `target`. */
export function secondsToReach(limits: BucketLimits, state: BucketState, target: number, nowUs: number): number {
  const now = refill(limits, state, nowUs);
  if (now.balance >= target) return 0;
  if (limits.refillPerSecond <= 0) return Number.MAX_SAFE_INTEGER;
  // Tokens accrue from now.updatedAtUs; the time already elapsed since then counts.
  const neededUs = Math.ceil(((target - now.balance) * US_PER_SECOND) / limits.refillPerSecond);
  const waitUs = now.updatedAtUs + neededUs - nowUs;
  return Math.max(1, Math.ceil(waitUs / US_PER_SECOND));
}

/** Adapts a state to new limits (an account changed type): the balance is kept, but never above the capacity. */
export function relimit(limits: BucketLimits, state: BucketState): BucketState {
  return state.balance > limits.capacity ? { balance: limits.capacity, updatedAtUs: state.updatedAtUs } : state;
}
