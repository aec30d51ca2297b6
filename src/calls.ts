// The registry: every API call, gathered from its domain's module. dispatch, multi and the OpenAPI
// description all read this one table.
import { getAccountInfo } from "./accounts/account-info";
import { accountCalls } from "./accounts/calls";
import { mailCalls } from "./accounts/mail-calls";
import { multi } from "./api/multi";
import type { CallDef } from "./api/registry";
import { fileCalls } from "./files/calls";
import { linkCalls } from "./links/calls";

export const allCalls: CallDef[] = [
  ...accountCalls,
  getAccountInfo,
  ...mailCalls,
  ...linkCalls,
  ...fileCalls,
  multi,
] as unknown as CallDef[];

export const callsByType: ReadonlyMap<string, CallDef> = new Map(allCalls.map((d) => [d.type, d]));
