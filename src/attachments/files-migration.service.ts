import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { AppError } from '../core/errors.js';
import type { Db } from '../db/database.js';
import { listAllStorageKeys } from './attachments.repository.js';
import { S3FileStorage } from './s3-storage.js';
import { LocalFileStorage } from './storage.js';
import { writeStorageLocation } from './storage.repository.js';

/** What a migration did. */
export interface MigrationReport {
  /** Files of the catalogue. */
  files: number;
  /** Copied by this run, each read back from the bucket and checked. */
  copied: number;
  /** Already in the bucket with the same SHA-256 (an earlier, interrupted run). */
  alreadyThere: number;
}

const sha256 = (data: Buffer | Uint8Array) => createHash('sha256').update(data).digest('hex');

async function readBack(bucket: S3FileStorage, key: string): Promise<string | null> {
  const stream = await bucket.open(key);
  if (!stream) return null;
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Copies every attachment of the data folder to the S3 bucket under the same key, checks each
 * copy by reading it back, and only then records that the files are in S3: every process
 * opens the bucket from its next start. A run stopped half-way is resumed by running it
 * again (files already there with the same SHA-256 are skipped), and a run after the switch
 * copies the files an instance not yet restarted wrote on its disk meanwhile.
 */
export async function migrateFilesToS3(
  db: Db,
  config: Pick<Config, 'dataDir' | 's3'>,
  progress: (done: number, total: number) => void = () => {},
): Promise<MigrationReport> {
  if (!config.s3) {
    throw new AppError(
      'invalid_command',
      'Donnez d’abord le stockage S3 : S3_BUCKET, S3_ENDPOINT, S3_REGION et les clés d’accès.',
    );
  }
  const disk = new LocalFileStorage(path.join(config.dataDir, 'files'));
  const bucket = new S3FileStorage(config.s3);
  const report: MigrationReport = { files: 0, copied: 0, alreadyThere: 0 };
  try {
    const keys = await listAllStorageKeys(db);
    report.files = keys.length;
    const absent: string[] = [];
    for (const [index, key] of keys.entries()) {
      const data = await readFile(disk.pathOf(key)).catch(() => null);
      const there = await bucket.sha256Of(key);
      const digest = data && sha256(data);
      if (data === null) {
        if (there === null) absent.push(key);
        else report.alreadyThere += 1;
      } else if (there === digest) {
        report.alreadyThere += 1;
      } else {
        await bucket.putAt(key, data, digest as string);
        if ((await readBack(bucket, key)) !== digest) {
          throw new AppError(
            'storage_unavailable',
            `La copie du fichier ${key} diffère de l’original : migration arrêtée, relancez-la.`,
          );
        }
        report.copied += 1;
      }
      progress(index + 1, keys.length);
    }
    if (absent.length > 0) {
      throw new AppError(
        'invalid_command',
        `${absent.length} fichier(s) ne sont ni dans ${path.join(config.dataDir, 'files')} ni dans le stockage S3 (le premier : ${absent[0]}) : rien n’a été basculé.`,
      );
    }
    await writeStorageLocation(db, 's3');
    return report;
  } finally {
    bucket.close();
  }
}
