import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';

/**
 * Where attachments' bytes are kept, by key: a local folder (`LocalFileStorage`) or an
 * S3-compatible bucket (`S3FileStorage`). Keys are opaque and the same in both, so that the
 * migration from one to the other copies files without touching the database's rows.
 */
export interface FileStorage {
  /** Stores `data` under a new key and returns the key; the file is complete or absent. */
  put(data: Buffer): Promise<string>;
  /** The file's bytes as a stream, or null when no file has this key. */
  open(key: string): Promise<Readable | null>;
  /** Deletes the file; a missing file is not an error. */
  remove(key: string): Promise<void>;
  /** A short-lived address the reader may fetch the file from directly, or null to stream it. */
  downloadUrl?(key: string, fileName: string, mediaType: string): Promise<string | null>;
  /** Ends the storage's connections, if it holds any. */
  close?(): void;
}

const KEY = /^[0-9a-f]{2}\/[0-9a-f-]{36}$/;

/** A new key: two hexadecimal digits of a fresh UUID, a slash, then the UUID. */
export function newStorageKey(): string {
  const id = randomUUID();
  return `${id.slice(0, 2)}/${id}`;
}

/** `key` when it has the keys' form; keys come from the database, but a path or URL is never built from anything unchecked. */
export function checkedKey(key: string): string {
  if (!KEY.test(key)) throw new Error(`Invalid storage key ${key}`);
  return key;
}
