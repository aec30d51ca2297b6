// get_account_info: the account and its two token buckets. `api_balance` is the balance before this
// call's own cost (the reference: "the value before the cost of this call"); both balances are read
// at the same instant of the limiter's clock, `*_balance_utime`.
import { z } from "zod";
import { credentials } from "../api/fields";
import { defineCall, fixed } from "../api/registry";
import { bucketsAtCharge } from "../limits/charge";

export const getAccountInfo = defineCall({
  type: "get_account_info",
  summary: "The account's type, names and times, and its api and link token buckets.",
  input: z.object(credentials),
  auth: "account",
  weight: fixed(2000),
  async handler(c) {
    const user = c.user;
    const { apiBefore, link } = await bucketsAtCharge(c);
    const out: Record<string, unknown> = { type: user.type };
    if (user.username) out.username = user.username;
    if (user.email && user.type !== "temporary") out.email = user.email;
    out.email_verified = user.emailVerified;
    out.create_utime = user.createUtime;
    out.expiration_utime = user.expirationUtime;
    out.api_refill_rate = apiBefore.refillPerSecond;
    out.api_capacity = apiBefore.capacity;
    out.api_balance = apiBefore.balance;
    out.api_balance_utime = apiBefore.atUs;
    out.link_refill_rate = link.refillPerSecond;
    out.link_capacity = link.capacity;
    out.link_balance = link.balance;
    out.link_balance_utime = link.atUs;
    return out;
  },
});
