// Exact int64 through D1 (TOOLCHAIN.md): D1 refuses BigInt parameters and rounds INTEGER results
// past 2^53, so int64 values travel as decimal text and are CAST at the SQL boundary.
import { type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/** A value to write into an int64 column. */
export function int64In(v: bigint): SQL {
  return sql`CAST(${v.toString()} AS INTEGER)`;
}

/** A selection that reads an int64 column exactly, as a BigInt. */
export function int64Out(col: SQLiteColumn): SQL.Aliased<bigint> | SQL<bigint> {
  return sql<string>`CAST(${col} AS TEXT)`.mapWith((s: string) => BigInt(s));
}

/** The largest int64: "never expires". */
export const INT64_MAX = 2n ** 63n - 1n;
/** The reference's default expiration_utime, 0x7ffffffffffffff. */
export const DEFAULT_EXPIRATION_UTIME = 0x7ffffffffffffffn;
