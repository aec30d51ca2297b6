// get_entries' query: the caller's entries, newest first (ties by id), with one tag filter, paged
// by start/count. Served by the indexes entries_user_time (userid, create_utime, id) and, for an
// exact `tag`, entries_user_tag_time (userid, tag, create_utime, id); the plans are in
// docs/links.md and checked in test/links-listing.test.ts. Tags are int64 and bound as decimal
// text through CAST, so bit 63 (a negative tag) filters exactly.
import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { entries } from "../db/schema";
import { entryColumns } from "./entry-store";

/** One of get_entries' filters, by precedence: tag, then tagmask_and, then tagmask_or. */
export type TagFilter =
  | { kind: "none" }
  | { kind: "tag"; tag: bigint }
  | { kind: "and"; mask: bigint }
  | { kind: "or"; mask: bigint };

export function tagFilter(input: { tag?: bigint; tagmask_and?: bigint; tagmask_or?: bigint }): TagFilter {
  if (input.tag !== undefined) return { kind: "tag", tag: input.tag };
  if (input.tagmask_and !== undefined) return { kind: "and", mask: input.tagmask_and };
  if (input.tagmask_or !== undefined) return { kind: "or", mask: input.tagmask_or };
  return { kind: "none" };
}

const int64 = (v: bigint) => sql`CAST(${v.toString()} AS INTEGER)`;

function tagCondition(f: TagFilter): SQL | undefined {
  switch (f.kind) {
    case "tag":
      return sql`${entries.tag} = ${int64(f.tag)}`;
    case "and":
      return sql`(${entries.tag} & ${int64(f.mask)}) = ${int64(f.mask)}`;
    case "or":
      return sql`(${entries.tag} & ${int64(f.mask)}) != 0`;
    case "none":
      return undefined;
  }
}

export function listingQuery(db: Db, userid: string, filter: TagFilter, start: number, count: number) {
  return db
    .select(entryColumns)
    .from(entries)
    .where(and(eq(entries.userid, userid), tagCondition(filter)))
    .orderBy(desc(entries.createUtime), desc(entries.id))
    .limit(count)
    .offset(start);
}
