// The registry: every API call, gathered from its domain's module. dispatch, multi and the OpenAPI
// description all read this one table.
import { accountCalls } from "./accounts/calls";
import { multi } from "./api/multi";
import type { CallDef } from "./api/registry";
import { linkCalls } from "./links/calls";

export const allCalls: CallDef[] = [...accountCalls, ...linkCalls, multi] as unknown as CallDef[];

export const callsByType: ReadonlyMap<string, CallDef> = new Map(allCalls.map((d) => [d.type, d]));
