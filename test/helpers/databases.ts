import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { type DbHandle, dropSchema, type Engine, openDatabase } from '../../src/db/connect.js';
import { VOCABULARY_TABLES } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { importDump } from '../../src/legacy-dump/import.service.js';
import { seedReferenceData } from '../../src/vocabularies/vocabularies.service.js';

/** The 25 real fiches, as shared with the project. */
export const SEED_PATH = path.resolve(import.meta.dirname, '..', '..', 'seed', 'fiches-carsat.txt');
export const SEED = readFileSync(SEED_PATH);
export const SEED_TEXT = SEED.toString('utf8');
/** Real-looking inputs the code was not written from. */
export const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures');

/** The engines the suite runs on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function testEngines(): Engine[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

let pgliteTemplate: Promise<Blob> | undefined;

/**
 * A migrated PGlite database with its reference data, as a tarball that each PGlite test
 * database starts from: 1 s rather than 4 to 5 s of `initdb`, migrations and reference data,
 * over sixty times a run. Made once per version of the source and of PGlite, and kept in the
 * temporary folder for the other test files.
 */
function pgliteTemplateOf(): Promise<Blob> {
  pgliteTemplate ??= (async () => {
    const file = path.join(tmpdir(), `essaim-test-pglite-${sourceHash()}.tar.gz`);
    const kept = await readFile(file).catch(() => undefined);
    if (kept) return new Blob([kept]);
    const handle = await openDatabase({});
    await prepare(handle);
    const tarball = await (handle.dumpDataDir as () => Promise<Blob>)();
    await handle.close();
    // Written beside then renamed: another test file may be reading or making the same one.
    const partial = `${file}.${process.pid}`;
    await writeFile(partial, Buffer.from(await tarball.arrayBuffer()));
    await rename(partial, file);
    return tarball;
  })();
  return pgliteTemplate;
}

/** A digest of everything a prepared database may depend on: the app's source and PGlite's version. */
function sourceHash(): string {
  const hash = createHash('sha256');
  const root = path.resolve(import.meta.dirname, '..', '..');
  const files = readdirSync(path.join(root, 'src'), { recursive: true, encoding: 'utf8' }).sort();
  for (const file of files) {
    const full = path.join(root, 'src', file);
    if (statSync(full).isFile()) hash.update(file).update(readFileSync(full));
  }
  hash.update(readFileSync(path.join(root, 'node_modules', '@electric-sql', 'pglite', 'package.json')));
  return hash.digest('hex').slice(0, 16);
}

async function prepare(handle: DbHandle): Promise<void> {
  await migrateToLatest(handle.db);
  await seedReferenceData(handle.db);
}

/** A fresh, migrated database with reference data: in-memory PGlite or a new PostgreSQL schema. */
export async function openTestDatabase(engine: Engine): Promise<DbHandle> {
  if (engine === 'pglite') return openDatabase({ pgliteFrom: await pgliteTemplateOf() });
  const url = process.env.TEST_DATABASE_URL as string;
  const schema = newSchemaName();
  const opened = await openDatabase({ databaseUrl: url, schema });
  await prepare(opened);
  return {
    ...opened,
    close: async () => {
      await opened.close();
      await dropSchema(url, schema);
    },
  };
}

/**
 * The database of the describe() it is called in: opened before its tests and closed after them;
 * with `seed`, the seed fiches imported once; with `reset`, emptied before each test.
 */
export function useTestDatabase(
  engine: Engine,
  options: { seed?: boolean; reset?: boolean } = {},
): { handle: DbHandle } {
  const context = {} as { handle: DbHandle };
  before(async () => {
    context.handle = await openTestDatabase(engine);
    if (options.seed) await importDump(context.handle.db, SEED);
  });
  after(() => context.handle.close());
  if (options.reset) beforeEach(() => resetData(context.handle));
  return context;
}

/** A schema name unique to this run, for tests that talk to PostgreSQL. */
export function newSchemaName(): string {
  return `test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** Empties the fiches, structures and history, and removes terms created by imports. */
export async function resetData(handle: DbHandle): Promise<void> {
  await sql`truncate action_history, attachments, action_keywords, action_initiatives, action_publics, action_partners, actions, structures restart identity cascade`.execute(
    handle.db,
  );
  for (const table of VOCABULARY_TABLES) {
    await handle.db.deleteFrom(table).where('flagged', '=', true).execute();
  }
}

/** Every row of every table, to show that a failed operation changed nothing at all. */
export async function snapshot(handle: DbHandle): Promise<Record<string, unknown[]>> {
  const tables = [
    'structures',
    'actions',
    'action_keywords',
    'action_initiatives',
    'action_publics',
    'action_partners',
    'attachments',
    'action_history',
    'keywords',
    'statuses',
    'dimensions',
    'initiatives',
    'territories',
    'publics',
    'partners',
  ];
  const result: Record<string, unknown[]> = {};
  for (const table of tables) {
    const { rows } = await sql`select * from ${sql.table(table)} order by 1, 2`.execute(handle.db);
    result[table] = rows;
  }
  return result;
}

/** The app's settings in tests: quiet, e-mail written to a fresh outbox. */
export function testAppConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    LOG_LEVEL: 'silent',
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'essaim-app-')),
    SEED_FILE: '',
    // In tests PGlite runs on the main thread, and many apps share a loaded machine: the event
    // loop lags for reasons no reader would meet. test/limits.test.ts sets its own threshold.
    MAX_EVENT_LOOP_DELAY_MS: '0',
    ...env,
  });
}

/** A test database holding the 25 seed fiches, and the web app on it; close() ends both. */
export async function openSeededApp(
  engine: Engine,
  env: Record<string, string> = {},
): Promise<{ handle: DbHandle; app: FastifyInstance; config: Config; close: () => Promise<void> }> {
  const handle = await openTestDatabase(engine);
  await importDump(handle.db, SEED);
  return appOn(handle, testAppConfig(env));
}

/** The web app on an open database; close() ends both. */
export async function appOn(
  handle: DbHandle,
  config: Config,
): Promise<{ handle: DbHandle; app: FastifyInstance; config: Config; close: () => Promise<void> }> {
  const app = await buildApp(handle.db, config);
  return {
    handle,
    app,
    config,
    close: async () => {
      await app.close();
      await handle.close();
    },
  };
}
