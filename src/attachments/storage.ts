import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Where attachments' bytes are kept, by key. The local folder is the one implementation today;
 * an S3-compatible store implements the same four calls (PutObject, GetObject, DeleteObject,
 * HeadObject), which is why keys are opaque and nothing else touches the files.
 */
export interface FileStorage {
  /** Stores `data` under a new key and returns the key; the file is complete or absent. */
  put(data: Buffer): Promise<string>;
  /** The file's bytes as a stream, or null when no file has this key. */
  open(key: string): Promise<Readable | null>;
  /** Deletes the file; a missing file is not an error. */
  remove(key: string): Promise<void>;
}

const KEY = /^[0-9a-f]{2}\/[0-9a-f-]{36}$/;

/** Files under one folder, two levels deep so that no folder grows too large. */
export class LocalFileStorage implements FileStorage {
  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    // Keys come from the database, but a path is never built from anything unchecked.
    if (!KEY.test(key)) throw new Error(`Invalid storage key ${key}`);
    return path.join(this.root, key);
  }

  async put(data: Buffer): Promise<string> {
    const id = randomUUID();
    const key = `${id.slice(0, 2)}/${id}`;
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    // Written aside then renamed, so that a crash never leaves half a file under a key.
    const temporary = `${target}.part`;
    await writeFile(temporary, data, { flag: 'wx' });
    await rename(temporary, target);
    return key;
  }

  async open(key: string): Promise<Readable | null> {
    const file = this.pathOf(key);
    try {
      await stat(file);
    } catch {
      return null;
    }
    return createReadStream(file);
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}

/** The storage of a data folder: `$DATA_DIR/files/`. */
export function localFileStorage(dataDir: string): FileStorage {
  return new LocalFileStorage(path.join(dataDir, 'files'));
}
