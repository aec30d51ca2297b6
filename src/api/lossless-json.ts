// JSON that keeps int64 exact. JSON.parse turns 576460752303423487 into 576460752303423500; the
// reviver's third argument carries the number's source text, so any integer literal beyond
// Number.MAX_SAFE_INTEGER becomes a BigInt instead. On the way out, BigInt values are written with
// JSON.rawJSON, digits unchanged. Both APIs exist in workerd (TOOLCHAIN.md).

declare global {
  interface JSON {
    rawJSON(text: string): unknown;
  }
}

interface ReviverContext {
  source?: string;
}

const INTEGER_LITERAL = /^-?\d+$/;

export function parseLossless(text: string): unknown {
  return JSON.parse(text, function (this: unknown, _key: string, value: unknown, context?: ReviverContext) {
    if (typeof value === "number" && !Number.isSafeInteger(value) && context?.source !== undefined) {
      if (INTEGER_LITERAL.test(context.source)) return BigInt(context.source);
    }
    return value;
  } as (this: unknown, key: string, value: unknown) => unknown);
}

export function stringifyLossless(value: unknown, space?: number): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? JSON.rawJSON(v.toString()) : v), space);
}
