import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import contentDisposition from 'content-disposition';
import type { S3Settings } from '../config.js';
import { AppError } from '../core/errors.js';
import { checkedKey, type FileStorage, newStorageKey } from './file-storage.js';

/** The file's SHA-256 travels as user metadata, so that a copy is checked without reading it. */
const SHA256_META = 'sha256';

function unavailable(cause: unknown): AppError {
  const error = new AppError(
    'storage_unavailable',
    'Le stockage des fichiers ne répond pas : rien n’a été enregistré. Réessayez dans quelques minutes.',
  );
  error.cause = cause;
  return error;
}

const isMissing = (error: unknown) =>
  error instanceof S3ServiceException && (error.$metadata.httpStatusCode === 404 || error.name === 'NoSuchKey');

/**
 * Files in an S3-compatible bucket, under the same keys as on disk. A PutObject is stored whole
 * or not at all, and it carries Content-MD5, so that the service refuses bytes damaged on the
 * way; a failed put deletes its key in case the service kept anything.
 */
export class S3FileStorage implements FileStorage {
  private readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    this.client = new S3Client({
      endpoint: settings.endpoint,
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      // A copy: the SDK marks the object it is given, and the settings are frozen.
      credentials: settings.credentials ? { ...settings.credentials } : undefined,
      maxAttempts: 3,
      // The newer SDK's default checksums (aws-chunked, CRC32 trailers) are AWS's own: most
      // S3-compatible services refuse them. Content-MD5 and the SHA-256 metadata do that work.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(data: Buffer): Promise<string> {
    const key = newStorageKey();
    await this.putAt(key, data, createHash('sha256').update(data).digest('hex'));
    return key;
  }

  /** Stores bytes under a given key (the migration keeps the keys), with their SHA-256. */
  async putAt(key: string, data: Buffer, sha256: string): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.settings.bucket,
          Key: checkedKey(key),
          Body: data,
          ContentLength: data.length,
          ContentMD5: createHash('md5').update(data).digest('base64'),
          Metadata: { [SHA256_META]: sha256 },
        }),
      );
    } catch (error) {
      await this.remove(key).catch(() => {});
      throw unavailable(error);
    }
  }

  /** The SHA-256 the object was stored with, or null when there is no such object. */
  async sha256Of(key: string): Promise<string | null> {
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.settings.bucket, Key: checkedKey(key) }),
      );
      return head.Metadata?.[SHA256_META] ?? '';
    } catch (error) {
      if (isMissing(error)) return null;
      throw unavailable(error);
    }
  }

  async open(key: string): Promise<Readable | null> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.settings.bucket, Key: checkedKey(key) }),
      );
      return object.Body as Readable;
    } catch (error) {
      if (isMissing(error)) return null;
      throw unavailable(error);
    }
  }

  async remove(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: checkedKey(key) }));
    } catch (error) {
      if (!isMissing(error)) throw unavailable(error);
    }
  }

  async downloadUrl(key: string, fileName: string, mediaType: string): Promise<string | null> {
    if (this.settings.downloads !== 'redirect') return null;
    const command = new GetObjectCommand({
      Bucket: this.settings.bucket,
      Key: checkedKey(key),
      ResponseContentType: mediaType,
      ResponseContentDisposition: contentDisposition(fileName),
    });
    return getSignedUrl(this.client, command, { expiresIn: this.settings.urlTtlSeconds });
  }

  /** Ends the client's connections (commands that exit, tests). */
  close(): void {
    this.client.destroy();
  }
}
