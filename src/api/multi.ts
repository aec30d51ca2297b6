// multi: run 1–100 calls in order through the same pipeline. A call with `broadcast: true` merges
// its output into the input of every later call; a later call's own input wins.
import { z } from "zod";
import type { Envelope } from "./envelope";
import { bool } from "./fields";
import { defineCall } from "./registry";
import { isPlainObject, withoutNulls } from "./validate";

const callQuery = z.object({
  type: z.string({ error: "must be a string" }).min(1, "must not be empty").max(64, "must be at most 64 characters"),
  input: z.record(z.string(), z.unknown(), { error: "must be an object" }).optional(),
  broadcast: bool.optional(),
});

export const multi = defineCall({
  type: "multi",
  summary: "Run several calls in one request; outputs may be broadcast into later inputs.",
  input: z.object({
    call_queries: z
      .array(callQuery, { error: "must be a list" })
      .min(1, "must hold at least 1 call")
      .max(100, "must hold at most 100 calls"),
  }),
  auth: "none",
  weight: () => 0,
  notInMulti: true,
  reportedWeight: (output: { call_responses: Envelope[] }) =>
    output.call_responses.reduce((sum, r) => sum + r.weight, 0),
  async handler(c, input) {
    let broadcast: Record<string, unknown> = {};
    const call_responses: Envelope[] = [];
    for (const q of input.call_queries) {
      const own = isPlainObject(q.input) ? withoutNulls(q.input) : {};
      const envelope = await c.dispatch(q.type, { ...broadcast, ...own });
      if (q.broadcast && envelope.status === "success") broadcast = { ...broadcast, ...envelope.output };
      call_responses.push(envelope);
    }
    return { call_responses };
  },
});
