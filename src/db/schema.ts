import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// int64 columns (tag, expiration_utime, ...) are INTEGER in SQLite, but D1 returns INTEGER as a JS
// number and refuses BigInt parameters. Never read or write them through the plain column: use
// `int64In` / `int64Out` from ./int64.ts, which go through CAST(... AS TEXT/INTEGER) and stay exact.

/** Accounts: temporary, registered, verified, custom. */
export const users = sqliteTable(
  "users",
  {
    userid: text("userid").primaryKey(),
    type: text("type", { enum: ["temporary", "registered", "verified", "custom"] }).notNull(),
    username: text("username"),
    /** lower-cased username, unique (case-insensitive uniqueness) */
    usernameKey: text("username_key"),
    email: text("email"),
    /** lower-cased email, unique */
    emailKey: text("email_key"),
    emailVerified: integer("email_verified").notNull().default(0),
    /** "pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>"; null for temporary accounts */
    passwordHash: text("password_hash"),
    createUtime: integer("create_utime").notNull(),
    /** int64: 9223372036854775807 for accounts that never expire */
    expirationUtime: integer("expiration_utime").notNull(),
    /** JSON of per-account limit overrides for type "custom" (see src/accounts/limits-config.ts) */
    customLimits: text("custom_limits"),
  },
  (t) => [
    uniqueIndex("users_username_key").on(t.usernameKey),
    uniqueIndex("users_email_key").on(t.emailKey),
    index("users_type_expiration").on(t.type, t.expirationUtime),
  ],
);

/** Login tokens: only the SHA-256 (hex) of the token is stored. */
export const tokens = sqliteTable(
  "tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    userid: text("userid").notNull(),
    createUtime: integer("create_utime").notNull(),
    expirationUtime: integer("expiration_utime").notNull(),
  },
  (t) => [index("tokens_userid").on(t.userid), index("tokens_expiration").on(t.expirationUtime)],
);

/** One-time codes mailed to people (password reset, email verification); stored hashed. */
export const oneTimeCodes = sqliteTable(
  "one_time_codes",
  {
    codeHash: text("code_hash").primaryKey(),
    kind: text("kind", { enum: ["reset_password", "verify_email"] }).notNull(),
    userid: text("userid").notNull(),
    email: text("email").notNull(),
    createUtime: integer("create_utime").notNull(),
    expirationUtime: integer("expiration_utime").notNull(),
    usedUtime: integer("used_utime"),
  },
  (t) => [index("one_time_codes_userid").on(t.userid), index("one_time_codes_expiration").on(t.expirationUtime)],
);

/**
 * Short-link entries, for URLs and files. `id` is AUTOINCREMENT so an id is never reused: the
 * entry's LinkCounter Durable Object is named by it.
 */
export const entries = sqliteTable(
  "entries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userid: text("userid").notNull(),
    host: text("host").notNull(),
    code: text("code").notNull(),
    /** target URL, or the file name for files */
    url: text("url").notNull(),
    createUtime: integer("create_utime").notNull(),
    /** int64 */
    tag: integer("tag").notNull().default(0),
    /** int64 */
    expirationUtime: integer("expiration_utime").notNull(),
    expirationCount: integer("expiration_count").notNull().default(0),
    enabled: integer("enabled").notNull().default(1),
    filekey: text("filekey").notNull().default(""),
    filesize: integer("filesize").notNull().default(-1),
    filetype: text("filetype").notNull().default(""),
    encryption: integer("encryption").notNull().default(0),
    signature: text("signature").notNull().default(""),
    /** SHA-256 (hex) of the challenge of an encrypted file; "" otherwise */
    challengeHash: text("challenge_hash").notNull().default(""),
    count: integer("count").notNull().default(0),
    countQr: integer("count_qr").notNull().default(0),
  },
  (t) => [
    uniqueIndex("entries_host_code").on(t.host, t.code),
    index("entries_user_time").on(t.userid, t.createUtime, t.id),
    index("entries_user_tag_time").on(t.userid, t.tag, t.createUtime, t.id),
    index("entries_filekey").on(t.filekey),
  ],
);

/** Multipart uploads in progress (file_part_*), mapped onto R2 multipart uploads. */
export const uploads = sqliteTable(
  "uploads",
  {
    filekey: text("filekey").primaryKey(),
    userid: text("userid").notNull(),
    filename: text("filename").notNull(),
    filesize: integer("filesize").notNull(),
    filetype: text("filetype").notNull().default(""),
    r2Key: text("r2_key").notNull(),
    r2UploadId: text("r2_upload_id").notNull(),
    createUtime: integer("create_utime").notNull(),
    expirationUtime: integer("expiration_utime").notNull(),
  },
  (t) => [index("uploads_userid").on(t.userid), index("uploads_expiration").on(t.expirationUtime)],
);

/** Parts received for an upload; the etag is what R2 needs to complete it. */
export const uploadParts = sqliteTable(
  "upload_parts",
  {
    filekey: text("filekey").notNull(),
    partnumber: integer("partnumber").notNull(),
    partsize: integer("partsize").notNull(),
    etag: text("etag").notNull(),
  },
  (t) => [primaryKey({ columns: [t.filekey, t.partnumber] })],
);

/**
 * Mail the worker sent, kept only when the local outbox is enabled (MAIL_OUTBOX = "d1", set by
 * `npm start`'s .dev.vars and by the tests; off in wrangler.toml, so never in production).
 */
export const mailOutbox = sqliteTable(
  "mail_outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    toAddress: text("to_address").notNull(),
    fromAddress: text("from_address").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    /** what the send_email binding answered; "" when the binding failed or is absent */
    messageId: text("message_id").notNull().default(""),
    createUtime: integer("create_utime").notNull(),
  },
  (t) => [index("mail_outbox_to").on(t.toAddress, t.id)],
);
