import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { listAllStorageKeys } from '../attachments/attachments.repository.js';
import { S3FileStorage } from '../attachments/s3-storage.js';
import { readStorageLocation, type StorageLocation } from '../attachments/storage.repository.js';
import type { Config } from '../config.js';
import { AppError } from '../core/errors.js';
import { quote } from '../core/typography.js';
import type { DbHandle } from '../db/connect.js';
import { loadPgliteDataDir } from '../db/pglite-runner.js';

const run = promisify(execFile);
const MANIFEST = 'manifest.json';
const PG_DUMP = 'database.dump';
const PGLITE_DUMP = 'database.tar.gz';
// What of DATA_DIR a backup keeps besides the database: the attachments and the operator's texts.
const FOLDERS = ['files', 'pages'];

/** What a backup folder holds, written last: a folder without it is not a backup. */
interface Manifest {
  format: 1;
  engine: 'pglite' | 'postgres';
  /** The PostgreSQL schema dumped; its extensions are made again before a restore when it is not public. */
  schema: string | null;
  /** Where the attachments were: a restore puts them back there (files/ holds them either way). */
  storage?: StorageLocation;
  createdAt: string;
  files: Array<{ path: string; size: number; sha256: string }>;
}

const refused = (message: string) => new AppError('invalid_command', message);

/**
 * Runs a PostgreSQL client program on DATABASE_URL. Its `options` parameter (a search path)
 * goes through PGOPTIONS: libpq reads a `+` in an address as a plus, where URLs mean a space.
 */
function runPostgresTool(program: string, args: string[], databaseUrl: string) {
  const url = new URL(databaseUrl);
  const options = url.searchParams.get('options');
  url.searchParams.delete('options');
  const env = options ? { ...process.env, PGOPTIONS: options } : process.env;
  return run(program, [...args, url.toString()], { env });
}

async function listFiles(root: string, under = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, under), { withFileTypes: true }).catch(() => []);
  const found: string[] = [];
  for (const entry of entries) {
    const relative = path.join(under, entry.name);
    if (entry.isDirectory()) found.push(...(await listFiles(root, relative)));
    else if (entry.isFile()) found.push(relative);
  }
  return found.sort();
}

async function sha256(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

async function ensureEmpty(dir: string, what: string): Promise<void> {
  if ((await listFiles(dir)).length > 0) throw refused(`${what} ${quote(dir)} n’est pas vide.`);
}

/**
 * Writes a backup of the database and of DATA_DIR's files into `outDir` (new or empty):
 * PostgreSQL through `pg_dump` in its custom format, PGlite as its data folder's tarball, the
 * files as they are (the attachments read from the bucket when they are in S3), and a
 * manifest with every file's SHA-256, so that a restore checks them.
 */
export async function backup(handle: DbHandle, config: Config, outDir: string): Promise<Manifest> {
  await ensureEmpty(outDir, 'Le dossier de sauvegarde');
  await mkdir(outDir, { recursive: true });
  let schema: string | null = null;
  if (handle.engine === 'postgres') {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(handle.db);
    schema = rows[0].schema;
    const only = schema === 'public' ? [] : ['--schema', schema];
    const args = ['--format=custom', '--no-owner', '--no-privileges', ...only, '--file', path.join(outDir, PG_DUMP)];
    await runPostgresTool('pg_dump', args, config.databaseUrl as string);
  } else {
    if (!handle.dumpDataDir) throw refused('Cette base intégrée ne peut pas être sauvegardée depuis ce processus.');
    await writeFile(path.join(outDir, PGLITE_DUMP), Buffer.from(await (await handle.dumpDataDir()).arrayBuffer()));
  }
  const storage = await readStorageLocation(handle.db);
  for (const folder of FOLDERS) {
    if (folder === 'files' && storage === 's3') continue;
    for (const file of await listFiles(path.join(config.dataDir, folder))) {
      const target = path.join(outDir, folder, file);
      await mkdir(path.dirname(target), { recursive: true });
      await copyFile(path.join(config.dataDir, folder, file), target);
    }
  }
  if (storage === 's3') await copyBucket(handle, config, path.join(outDir, 'files'));
  const files = await Promise.all(
    (await listFiles(outDir)).map(async (file) => ({
      path: file,
      size: (await stat(path.join(outDir, file))).size,
      sha256: await sha256(path.join(outDir, file)),
    })),
  );
  const manifest: Manifest = {
    format: 1,
    engine: handle.engine,
    schema,
    storage,
    createdAt: new Date().toISOString(),
    files,
  };
  await writeFile(path.join(outDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function bucketOf(config: Config): S3FileStorage {
  if (!config.s3) {
    throw refused(
      'Les fichiers joints sont dans un stockage S3 : donnez S3_BUCKET, S3_ENDPOINT, S3_REGION et les clés d’accès.',
    );
  }
  return new S3FileStorage(config.s3);
}

// The attachments in the bucket, each under its key in the backup's files/ folder.
async function copyBucket(handle: DbHandle, config: Config, filesDir: string): Promise<void> {
  const bucket = bucketOf(config);
  try {
    for (const key of await listAllStorageKeys(handle.db)) {
      const stream = await bucket.open(key);
      if (!stream) throw refused(`Le fichier ${key} manque dans le stockage S3 : sauvegarde arrêtée.`);
      await mkdir(path.dirname(path.join(filesDir, key)), { recursive: true });
      await pipeline(stream, createWriteStream(path.join(filesDir, key)));
    }
  } finally {
    bucket.close();
  }
}

// The backup's attachments back into the bucket; those already there, unchanged, stay.
async function fillBucket(config: Config, fromDir: string, manifest: Manifest): Promise<void> {
  const bucket = bucketOf(config);
  try {
    for (const file of manifest.files.filter((f) => f.path.startsWith(`files${path.sep}`))) {
      const key = file.path.slice('files/'.length).split(path.sep).join('/');
      if ((await bucket.sha256Of(key)) === file.sha256) continue;
      await bucket.putAt(key, await readFile(path.join(fromDir, file.path)), file.sha256);
    }
  } finally {
    bucket.close();
  }
}

async function readManifest(fromDir: string): Promise<Manifest> {
  const text = await readFile(path.join(fromDir, MANIFEST), 'utf8').catch(() => {
    throw refused(`${quote(fromDir)} n’est pas une sauvegarde d’Essaim : ${MANIFEST} est introuvable.`);
  });
  const manifest = JSON.parse(text) as Manifest;
  for (const file of manifest.files) {
    const actual = await sha256(path.join(fromDir, file.path)).catch(() => 'absent');
    if (actual !== file.sha256)
      throw refused(`La sauvegarde est abîmée : ${file.path} ne correspond plus à son empreinte.`);
  }
  return manifest;
}

/**
 * Restores a backup into an empty database and an empty DATA_DIR, after checking every file
 * against its SHA-256: PGlite's data folder from its tarball, PostgreSQL through `pg_restore`
 * (its schema's extensions made first when the dump holds one schema only), the attachments
 * into the bucket when they were in S3.
 */
export async function restore(config: Config, fromDir: string, openTarget: () => Promise<DbHandle>): Promise<Manifest> {
  const manifest = await readManifest(fromDir);
  if ((manifest.engine === 'postgres') !== Boolean(config.databaseUrl)) {
    throw refused(
      manifest.engine === 'postgres'
        ? 'Cette sauvegarde vient de PostgreSQL : donnez DATABASE_URL pour la restaurer.'
        : 'Cette sauvegarde vient de la base intégrée : restaurez-la sans DATABASE_URL.',
    );
  }
  for (const folder of FOLDERS) await ensureEmpty(path.join(config.dataDir, folder), 'Le dossier');
  if (manifest.storage === 's3') bucketOf(config).close();
  if (manifest.engine === 'pglite') {
    const dataDir = path.join(config.dataDir, 'db');
    await ensureEmpty(dataDir, 'Le dossier de la base');
    const tarball = await readFile(path.join(fromDir, PGLITE_DUMP));
    await mkdir(config.dataDir, { recursive: true });
    await loadPgliteDataDir(dataDir, new Blob([tarball]));
  } else {
    await restorePostgres(manifest, fromDir, config, openTarget);
  }
  const toDisk = manifest.storage === 's3' ? ['pages'] : FOLDERS;
  if (manifest.storage === 's3') await fillBucket(config, fromDir, manifest);
  for (const file of manifest.files.filter((f) => toDisk.includes(f.path.split(path.sep)[0]))) {
    const target = path.join(config.dataDir, file.path);
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(path.join(fromDir, file.path), target);
  }
  return manifest;
}

async function restorePostgres(
  manifest: Manifest,
  fromDir: string,
  config: Config,
  openTarget: () => Promise<DbHandle>,
): Promise<void> {
  const target = await openTarget();
  try {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from information_schema.tables where table_schema = ${manifest.schema ?? 'public'}
        and table_type = 'BASE TABLE'`.execute(target.db);
    if (rows[0].n > 0) throw refused('La base cible n’est pas vide : restaurez dans une base neuve.');
    if (manifest.schema !== 'public') {
      for (const extension of ['unaccent', 'pg_trgm']) {
        await sql`create extension if not exists ${sql.id(extension)} schema public`.execute(target.db);
      }
    }
  } finally {
    await target.close();
  }
  const args = ['--no-owner', '--no-privileges', '--exit-on-error', path.join(fromDir, PG_DUMP), '--dbname'];
  await runPostgresTool('pg_restore', args, config.databaseUrl as string);
}
