// An entry as the API shows it: the fields of get_entry plus expiration_utime, keys in the
// reference's order (alphabetical), `enabled` a JSON boolean, int64 fields exact.
import { shortUrl } from "./codes";
import type { Entry } from "./entry-store";

export function entryOutput(entry: Entry, order = 0, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {
    count: entry.count,
    count_qr: entry.countQr,
    enabled: entry.enabled,
    encryption: entry.encryption,
    expiration_count: entry.expirationCount,
    expiration_utime: entry.expirationUtime,
    filekey: entry.filekey,
    filesize: entry.filesize,
    filetype: entry.filetype,
    id: entry.id,
    order,
    ...extra,
    shorturl: shortUrl(entry.host, entry.code),
    signature: entry.signature,
    tag: entry.tag,
    url: entry.url,
    userid: entry.userid,
    utime: entry.createUtime,
  };
  return out;
}
