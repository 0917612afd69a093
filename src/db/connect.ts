import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { takeCopyRequest } from './copy.js';
import type { Database } from './database.js';
import { lockDataDir } from './lock.js';
import { createSerialPool } from './pglite-pool.js';
import { openPglite } from './pglite-runner.js';
import { openPgliteInWorker } from './pglite-worker-client.js';
import { preparedName } from './prepared.js';

// Same JS types on both engines: PGlite returns int8 and numeric as numbers, pg as strings.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export type Engine = 'pglite' | 'postgres';

export interface DbOptions {
  /** PostgreSQL connection string; when absent the embedded PGlite database is used. */
  databaseUrl?: string;
  /** PGlite data folder; in memory when absent. */
  pgliteDir?: string;
  /**
   * PGlite in memory, started as a copy of the database this tarball of `dumpDataDir` holds
   * rather than empty: about 1 s instead of 3 to 4 s of `initdb`, migrations not counted.
   */
  pgliteFrom?: Blob;
  /** Run PGlite in a worker thread (the web server does, so that a long query never stalls it). */
  worker?: boolean;
  /** PostgreSQL schema to work in (tests use one per run); created if missing. */
  schema?: string;
  /** PostgreSQL stops any statement running longer (the web process; never an import). */
  statementTimeoutMs?: number;
}

export interface DbHandle {
  db: Kysely<Database>;
  engine: Engine;
  close(): Promise<void>;
  /** The PostgreSQL pool's connections, for the metrics; PGlite has one session and none. */
  poolStats?: () => { total: number; idle: number; waiting: number };
  /** PGlite in this thread: its data folder as a gzipped tarball, for a backup. */
  dumpDataDir?: () => Promise<Blob>;
}

// How to open another connection to a PostgreSQL database, from another thread (an import's
// analysis worker).
const connections = new WeakMap<object, Pick<DbOptions, 'databaseUrl' | 'schema'>>();

/** How another thread opens its own connection to this PostgreSQL database; undefined for PGlite. */
export function connectionOf(db: Kysely<Database>): Pick<DbOptions, 'databaseUrl' | 'schema'> | undefined {
  return connections.get(db);
}

// The count of statements that may have written, where this process is the only writer.
const localWrites = new WeakMap<object, () => number>();

/**
 * The number of statements that may have written so far, when this process is the database's
 * only writer (PGlite, whose data folder it holds locked); undefined for PostgreSQL, which other
 * processes write to. Unchanged since a read, nothing has changed since.
 */
export function localWritesOf(db: Kysely<Database>): (() => number) | undefined {
  return localWrites.get(db);
}

const WARM_TEXT_SEARCH = `select ts_headline('french_unaccent', 'centres sociaux', plainto_tsquery('french_unaccent', 'centre'))`;

/** Opens the database the options describe and returns a Kysely handle on it. */
export async function openDatabase(options: DbOptions): Promise<DbHandle> {
  if (options.databaseUrl) {
    if (options.schema) await createSchema(options.databaseUrl, options.schema);
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      options:
        [
          options.schema ? `-c search_path=${options.schema},public` : '',
          options.statementTimeoutMs ? `-c statement_timeout=${options.statementTimeoutMs}` : '',
        ]
          .join(' ')
          .trim() || undefined,
      // A connection's first text search loads the unaccent rules and the stemmer (about 15 ms):
      // connections are kept rather than closed when idle, and each loads them when it opens.
      idleTimeoutMillis: 0,
    });
    pool.on('connect', (client) => {
      client.query(WARM_TEXT_SEARCH).catch(() => {
        // Before migrations the configuration does not exist yet: the first search loads it.
      });
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: withCopy(pool) }) });
    connections.set(db, { databaseUrl: options.databaseUrl, schema: options.schema });
    return {
      db,
      engine: 'postgres',
      close: () => db.destroy(),
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    };
  }
  let unlock = async () => {};
  if (options.pgliteDir) {
    await mkdir(path.dirname(options.pgliteDir), { recursive: true });
    unlock = await lockDataDir(options.pgliteDir);
  }
  try {
    const runner =
      options.worker && options.pgliteDir
        ? await openPgliteInWorker(options.pgliteDir)
        : await openPglite(options.pgliteDir, options.pgliteFrom);
    const pool = createSerialPool(runner);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    localWrites.set(db, () => pool.writes);
    return {
      db,
      engine: 'pglite',
      dumpDataDir: runner.dumpDataDir,
      close: async () => {
        await db.destroy();
        await unlock();
      },
    };
  } catch (error) {
    await unlock();
    throw error;
  }
}

// Kysely's clients run statements only; a COPY carrying a ticket (src/db/copy.ts) is streamed
// through pg-copy-streams on the same connection, so it stays in the caller's transaction, and
// a statement marked PREPARED (src/db/prepared.ts) is sent as a named prepared statement.
// One wrapper per connection, so that Kysely, which keeps its state per client object, sees
// the same client each time the pool hands the connection out.
function withCopy(pool: pg.Pool): PostgresPool {
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient) =>
    ({
      async query(sql: string, params: readonly unknown[]) {
        const copy = takeCopyRequest(sql);
        if (!copy) {
          const name = preparedName(sql);
          return client.query(name ? { name, text: sql, values: params as unknown[] } : sql, params as unknown[]);
        }
        const stream = client.query(copyFrom(copy.statement));
        await pipeline(Readable.from([copy.data]), stream);
        return { command: 'COPY', rowCount: stream.rowCount, rows: [] };
      },
      release: () => client.release(),
    }) as unknown as PostgresPoolClient;
  return {
    async connect() {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        wrapper = wrap(client);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}

async function createSchema(databaseUrl: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Invalid schema name: ${schema}`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`create schema if not exists ${schema}`);
  } finally {
    await client.end();
  }
}

/** Drops a PostgreSQL schema and everything in it (tests clean up their own). */
export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}
