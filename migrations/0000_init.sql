CREATE TABLE `entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`userid` text NOT NULL,
	`host` text NOT NULL,
	`code` text NOT NULL,
	`url` text NOT NULL,
	`create_utime` integer NOT NULL,
	`tag` integer DEFAULT 0 NOT NULL,
	`expiration_utime` integer NOT NULL,
	`expiration_count` integer DEFAULT 0 NOT NULL,
	`enabled` integer DEFAULT 1 NOT NULL,
	`filekey` text DEFAULT '' NOT NULL,
	`filesize` integer DEFAULT -1 NOT NULL,
	`filetype` text DEFAULT '' NOT NULL,
	`encryption` integer DEFAULT 0 NOT NULL,
	`signature` text DEFAULT '' NOT NULL,
	`challenge_hash` text DEFAULT '' NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	`count_qr` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `entries_host_code` ON `entries` (`host`,`code`);--> statement-breakpoint
CREATE INDEX `entries_user_time` ON `entries` (`userid`,`create_utime`,`id`);--> statement-breakpoint
CREATE INDEX `entries_user_tag_time` ON `entries` (`userid`,`tag`,`create_utime`,`id`);--> statement-breakpoint
CREATE INDEX `entries_filekey` ON `entries` (`filekey`);--> statement-breakpoint
CREATE TABLE `one_time_codes` (
	`code_hash` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`userid` text NOT NULL,
	`email` text NOT NULL,
	`create_utime` integer NOT NULL,
	`expiration_utime` integer NOT NULL,
	`used_utime` integer
);
--> statement-breakpoint
CREATE INDEX `one_time_codes_userid` ON `one_time_codes` (`userid`);--> statement-breakpoint
CREATE INDEX `one_time_codes_expiration` ON `one_time_codes` (`expiration_utime`);--> statement-breakpoint
CREATE TABLE `tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`userid` text NOT NULL,
	`create_utime` integer NOT NULL,
	`expiration_utime` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `tokens_userid` ON `tokens` (`userid`);--> statement-breakpoint
CREATE INDEX `tokens_expiration` ON `tokens` (`expiration_utime`);--> statement-breakpoint
CREATE TABLE `upload_parts` (
	`filekey` text NOT NULL,
	`partnumber` integer NOT NULL,
	`partsize` integer NOT NULL,
	`etag` text NOT NULL,
	PRIMARY KEY(`filekey`, `partnumber`)
);
--> statement-breakpoint
CREATE TABLE `uploads` (
	`filekey` text PRIMARY KEY NOT NULL,
	`userid` text NOT NULL,
	`filename` text NOT NULL,
	`filesize` integer NOT NULL,
	`filetype` text DEFAULT '' NOT NULL,
	`r2_key` text NOT NULL,
	`r2_upload_id` text NOT NULL,
	`create_utime` integer NOT NULL,
	`expiration_utime` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `uploads_userid` ON `uploads` (`userid`);--> statement-breakpoint
CREATE INDEX `uploads_expiration` ON `uploads` (`expiration_utime`);--> statement-breakpoint
CREATE TABLE `users` (
	`userid` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`username` text,
	`username_key` text,
	`email` text,
	`email_key` text,
	`email_verified` integer DEFAULT 0 NOT NULL,
	`password_hash` text,
	`create_utime` integer NOT NULL,
	`expiration_utime` integer NOT NULL,
	`custom_limits` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_key` ON `users` (`username_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_key` ON `users` (`email_key`);--> statement-breakpoint
CREATE INDEX `users_type_expiration` ON `users` (`type`,`expiration_utime`);