// Authentication of a call from its `userid` and `token` inputs.
import { ApiError } from "../api/errors";
import type { Auth } from "../api/registry";
import type { Db } from "../db/client";
import { findUserById, isExpired, tokenIsValid, type User } from "./store";

const unauthorized = (message: string, field: string) => new ApiError("unauthorized", message, { field });

export async function authenticate(
  db: Db,
  auth: Exclude<Auth, "none">,
  userid: string | undefined,
  token: string | undefined,
  nowUs: number,
): Promise<User> {
  if (userid === undefined) throw unauthorized("userid is required.", "userid");
  const user = await findUserById(db, userid);
  if (!user || isExpired(user, nowUs)) throw unauthorized("Unknown or expired account.", "userid");
  if (auth === "account" && user.type === "temporary") return user;
  if (token === undefined) throw unauthorized("token is required for this account.", "token");
  if (!(await tokenIsValid(db, user.userid, token, nowUs))) throw unauthorized("Invalid or expired token.", "token");
  return user;
}
