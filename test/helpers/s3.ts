import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

const BUCKET = 'essaim-fichiers';
const KEYS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * A TCP relay in front of the S3 server that can cut uploads in the middle: after `allowed`
 * more PutObject requests, each following one has all but the end of its headers passed on,
 * then both connections are dropped, as a network failure would. The client has sent its body
 * and gets no answer. The server never sees a whole request: s3rver creates an object's file
 * as soon as a PUT's headers are read, and on a loaded machine it did so for a cut upload after
 * the client's clean-up had deleted the key, leaving a stray object the real S3 never would.
 */
class CuttingRelay {
  private allowed = Number.POSITIVE_INFINITY;
  private readonly sockets = new Set<Socket>();
  readonly server: Server;

  constructor(targetPort: number) {
    this.server = createServer((client) => {
      const upstream = createConnection(targetPort, '127.0.0.1');
      this.sockets.add(client).add(upstream);
      for (const socket of [client, upstream]) {
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {});
      }
      upstream.pipe(client);
      let budget = Number.POSITIVE_INFINITY;
      client.on('data', (chunk: Buffer) => {
        const put = chunk.indexOf('PUT /');
        if (put >= 0 && budget === Number.POSITIVE_INFINITY) {
          if (this.allowed > 0) this.allowed -= 1;
          else {
            // Up to the request line's end at least, short of the blank line that ends the headers.
            budget = Math.max(chunk.indexOf('\r\n', put) + 2, chunk.indexOf('\r\n\r\n', put));
          }
        }
        if (chunk.length < budget) {
          budget -= chunk.length;
          upstream.write(chunk);
          return;
        }
        upstream.write(chunk.subarray(0, budget));
        client.destroy();
        upstream.destroy();
      });
      client.on('end', () => upstream.end());
    });
  }

  /** Lets `count` more uploads through, then cuts every following one. */
  cutUploadsAfter(count: number): void {
    this.allowed = count;
  }

  /** Lets every upload through again. */
  mend(): void {
    this.allowed = Number.POSITIVE_INFINITY;
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A real S3 protocol server (s3rver) with one bucket, reached through a relay that can fail. */
export interface TestS3 {
  /** The settings the app reads, pointing at the relay. */
  env: Record<string, string>;
  relay: CuttingRelay;
  /** The bucket's keys, read from the server directly. */
  keys(): Promise<string[]>;
  /** An object's bytes, read from the server directly. */
  object(key: string): Promise<Buffer>;
  close(): Promise<void>;
}

/** Starts s3rver on a free port of 127.0.0.1, storing in a new folder, and a relay in front. */
export async function startS3(): Promise<TestS3> {
  const directory = await mkdtemp(path.join(tmpdir(), 'essaim-s3-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: BUCKET, configs: [] }],
  });
  const { port } = await server.run();
  const relay = new CuttingRelay(port);
  await new Promise<void>((resolve) => relay.server.listen(0, '127.0.0.1', resolve));
  const relayPort = (relay.server.address() as { port: number }).port;
  const direct = new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'fr-par',
    forcePathStyle: true,
    credentials: KEYS,
  });
  return {
    env: {
      S3_BUCKET: BUCKET,
      S3_ENDPOINT: `http://127.0.0.1:${relayPort}`,
      S3_REGION: 'fr-par',
      S3_ACCESS_KEY_ID: KEYS.accessKeyId,
      S3_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
    },
    relay,
    keys: async () => {
      const listed = await direct.send(new ListObjectsV2Command({ Bucket: BUCKET }));
      return (listed.Contents ?? []).map((o) => o.Key as string).sort();
    },
    object: async (key) => {
      const got = await direct.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      return Buffer.from(await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
    },
    close: async () => {
      direct.destroy();
      await relay.close();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
