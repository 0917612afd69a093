import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Config } from '../config.js';
import { AppError } from '../core/errors.js';
import type { Db } from '../db/database.js';
import { checkedKey, type FileStorage, newStorageKey } from './file-storage.js';
import { S3FileStorage } from './s3-storage.js';
import { readStorageLocation } from './storage.repository.js';

export type { FileStorage } from './file-storage.js';

/** Files under one folder, two levels deep so that no folder grows too large. */
export class LocalFileStorage implements FileStorage {
  constructor(private readonly root: string) {}

  /** The file's path on disk. */
  pathOf(key: string): string {
    return path.join(this.root, checkedKey(key));
  }

  async put(data: Buffer): Promise<string> {
    const key = newStorageKey();
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

/**
 * The storage the database says the files are in: the data folder's, or the S3 bucket once
 * `essaim files migrate --to s3` has moved them, which then needs the S3 settings to start.
 */
export async function openFileStorage(db: Db, config: Pick<Config, 'dataDir' | 's3'>): Promise<FileStorage> {
  if ((await readStorageLocation(db)) === 'local') return localFileStorage(config.dataDir);
  if (!config.s3) {
    throw new AppError(
      'invalid_config',
      'les fichiers joints sont dans un stockage S3 (essaim files migrate --to s3) : donnez S3_BUCKET, S3_ENDPOINT, S3_REGION et les clés d’accès.',
    );
  }
  return new S3FileStorage(config.s3);
}
