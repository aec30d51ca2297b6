// Where a file's bytes live in R2 (CONTRACT.md): storage/<userid>/<filekey>/<filename>.

export function storageKey(userid: string, filekey: string, filename: string): string {
  return `storage/${userid}/${filekey}/${filename}`;
}

/** Deletes the stored bytes of a file entry (no-op for URL entries). */
export async function deleteStoredFile(
  bucket: R2Bucket,
  entry: { userid: string; filekey: string; url: string },
): Promise<void> {
  if (entry.filekey === "") return;
  await bucket.delete(storageKey(entry.userid, entry.filekey, entry.url));
}
