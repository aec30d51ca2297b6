// Client-side file encryption, exactly the format of CONTRACT.md and of the reference's Python
// (encrypt_data / encrypt_file / decrypt_data), so files from either side open on the other.
// Pure WebCrypto: the same module runs in the browser (bundled into the page scripts) and in
// workerd (known-answer and round-trip tests). The server never sees a password or a key.
//
//   key        = SHA-256(SHA-256(utf8(password)))            (AES-256)
//   sealed     = IV (12 random bytes) ‖ AES-GCM ciphertext ‖ tag (16 bytes)
//   stored     = uint32 little-endian length of `sealed` ‖ sealed   (= filesize + 32 bytes)
//   challenge  = 16 random bytes, sent as 32 hex
//   signature  = sealed(challenge), sent as 88 hex (12 + 16 + 16 bytes)

export const IV_BYTES = 12;
export const TAG_BYTES = 16;
export const LENGTH_PREFIX_BYTES = 4;
export const CHALLENGE_BYTES = 16;
/** What encryption adds to a file: length prefix, IV and tag. */
export const ENCRYPTION_OVERHEAD_BYTES = LENGTH_PREFIX_BYTES + IV_BYTES + TAG_BYTES;
export const SIGNATURE_HEX_LENGTH = 2 * (IV_BYTES + CHALLENGE_BYTES + TAG_BYTES);

type Bytes = Uint8Array<ArrayBuffer>;

/** Decryption failed: wrong password, or the bytes were changed (the GCM tag does not match). */
export class DecryptError extends Error {
  override name = "DecryptError";
}

/** The bytes are not in the stored format (too short, or the length prefix disagrees). */
export class FormatError extends Error {
  override name = "FormatError";
}

export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

export function fromHex(hex: string): Bytes {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new FormatError("not a hex string");
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function randomBytes(n: number): Bytes {
  return crypto.getRandomValues(new Uint8Array(n));
}

function copy(data: Uint8Array): Bytes {
  const out = new Uint8Array(data.byteLength);
  out.set(data);
  return out;
}

/** The raw 32-byte key: SHA-256(SHA-256(utf8(password))). */
export async function fileKeyBytes(password: string): Promise<Bytes> {
  const once = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(password));
  return new Uint8Array(await crypto.subtle.digest("SHA-256", once));
}

/** A non-extractable AES-GCM key for a file password. */
export async function fileKey(password: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", await fileKeyBytes(password), { name: "AES-GCM" }, false, [
    "encrypt",
    "decrypt",
  ]);
}

/** IV ‖ ciphertext ‖ tag (the reference's encrypt_data). `iv` is random unless given (tests). */
export async function encryptData(key: CryptoKey, data: Uint8Array, iv: Uint8Array = randomBytes(IV_BYTES)) {
  if (iv.byteLength !== IV_BYTES) throw new RangeError(`the IV must be ${IV_BYTES} bytes`);
  const ivCopy = copy(iv);
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv: ivCopy, tagLength: 8 * TAG_BYTES }, key, copy(data)),
  );
  const out = new Uint8Array(IV_BYTES + sealed.byteLength);
  out.set(ivCopy, 0);
  out.set(sealed, IV_BYTES);
  return out;
}

/** The reference's decrypt_data. Throws DecryptError on a wrong key or changed bytes. */
export async function decryptData(key: CryptoKey, sealed: Uint8Array): Promise<Bytes> {
  if (sealed.byteLength < IV_BYTES + TAG_BYTES) throw new FormatError("too short to be encrypted data");
  const iv = copy(sealed.subarray(0, IV_BYTES));
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv, tagLength: 8 * TAG_BYTES },
      key,
      copy(sealed.subarray(IV_BYTES)),
    );
    return new Uint8Array(plain);
  } catch {
    throw new DecryptError("wrong password or damaged data");
  }
}

export interface EncryptedFile {
  /** the bytes to upload: length prefix ‖ IV ‖ ciphertext ‖ tag */
  stored: Bytes;
  /** 32 hex */
  challenge: string;
  /** 88 hex */
  signature: string;
}

/** Randomness of encryptFile, injectable so tests can pin known answers. */
export interface FileRandomness {
  challenge?: Uint8Array;
  challengeIv?: Uint8Array;
  fileIv?: Uint8Array;
}

/** The reference's encrypt_file: the stored bytes and a fresh challenge-signature pair. */
export async function encryptFile(
  data: Uint8Array,
  password: string | CryptoKey,
  random: FileRandomness = {},
): Promise<EncryptedFile> {
  const key = typeof password === "string" ? await fileKey(password) : password;
  const challenge = random.challenge ?? randomBytes(CHALLENGE_BYTES);
  if (challenge.byteLength !== CHALLENGE_BYTES) throw new RangeError(`the challenge must be ${CHALLENGE_BYTES} bytes`);
  const signature = await encryptData(key, challenge, random.challengeIv);
  const sealed = await encryptData(key, data, random.fileIv);
  if (sealed.byteLength > 0xffffffff) throw new RangeError("the file is too large for the 4-byte length prefix");
  const stored = new Uint8Array(LENGTH_PREFIX_BYTES + sealed.byteLength);
  new DataView(stored.buffer).setUint32(0, sealed.byteLength, true);
  stored.set(sealed, LENGTH_PREFIX_BYTES);
  return { stored, challenge: toHex(challenge), signature: toHex(signature) };
}

/** The challenge (32 hex) from a signature (88 hex). Throws DecryptError on a wrong password. */
export async function challengeFromSignature(signatureHex: string, key: CryptoKey): Promise<string> {
  if (signatureHex.length !== SIGNATURE_HEX_LENGTH) throw new FormatError("a signature is 88 hex characters");
  const challenge = await decryptData(key, fromHex(signatureHex));
  if (challenge.byteLength !== CHALLENGE_BYTES) throw new FormatError("the challenge is not 16 bytes");
  return toHex(challenge);
}

/** Checks the length prefix of stored bytes and decrypts them (the reference's download step). */
export async function decryptStoredFile(stored: Uint8Array, key: CryptoKey): Promise<Bytes> {
  if (stored.byteLength < ENCRYPTION_OVERHEAD_BYTES) throw new FormatError("too short to be an encrypted file");
  const length = new DataView(stored.buffer, stored.byteOffset, LENGTH_PREFIX_BYTES).getUint32(0, true);
  if (length !== stored.byteLength - LENGTH_PREFIX_BYTES) {
    throw new FormatError("the length prefix does not match the data");
  }
  return decryptData(key, stored.subarray(LENGTH_PREFIX_BYTES));
}
