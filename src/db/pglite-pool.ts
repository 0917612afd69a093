import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import { takeCopyRequest } from './copy.js';

/** One statement's outcome, as PGlite reports it. */
export interface RunnerResult {
  rows: unknown[];
  /** The command tag's verb: "SELECT", "INSERT"… */
  command?: string;
  affectedRows?: number;
}

/**
 * What the pool needs from an embedded database: run one statement with parameters, and
 * with the bytes a `copy … from '/dev/blob'` reads.
 */
export interface QueryRunner {
  query(sql: string, params: readonly unknown[], blob?: Uint8Array): Promise<RunnerResult>;
  close(): Promise<void>;
  /** The whole data folder as a gzipped tarball (PGlite in this thread only). */
  dumpDataDir?(): Promise<Blob>;
}

/** A pool with the number of statements that may have written, counted once each has ended. */
export type SerialPool = PostgresPool & { readonly writes: number };

// Only a SELECT, or a WITH naming no INSERT, UPDATE, DELETE or MERGE, is known to write nothing:
// the schema's functions that write are triggers, run by those. BEGIN and COMMIT count as writes,
// which costs a needless catch-up at most.
const SELECT = /^(?:\/\*[^*]*\*\/)?\s*(select|with)\b/i;
const WRITE = /\b(?:insert|update|delete|merge)\b/i;

function mayWrite(sql: string): boolean {
  const read = SELECT.exec(sql);
  return !read || (read[1].toLowerCase() === 'with' && WRITE.test(sql));
}

/**
 * Adapts a single embedded database (PGlite, in-process or in a worker) to the pool
 * interface of Kysely's PostgresDialect. PGlite has one session, so connections are
 * handed out one at a time: a transaction owns the session until it releases it. It counts
 * the statements that may have written: nothing else writes to an embedded database.
 */
export function createSerialPool(runner: QueryRunner): SerialPool {
  let tail: Promise<void> = Promise.resolve();
  let writes = 0;
  return {
    get writes() {
      return writes;
    },
    async connect(): Promise<PostgresPoolClient> {
      let release!: () => void;
      const previous = tail;
      tail = new Promise<void>((resolve) => {
        release = resolve;
      });
      await previous;
      const client = {
        async query<R>(sql: string, params: readonly unknown[]): Promise<PostgresQueryResult<R>> {
          // PGlite has no STDIN: a COPY reads its rows from the blob passed with the statement.
          const copy = takeCopyRequest(sql);
          // Counted once ended, failed or not: a search that then reads the count sees the
          // write committed (a COMMIT is a write of its own).
          const result = await (copy
            ? runner.query(copy.statement.replace(/ from stdin\b/i, " from '/dev/blob'"), [], copy.data)
            : runner.query(sql, params)
          ).finally(() => {
            if (copy || mayWrite(sql)) writes++;
          });
          return {
            command: (result.command ?? 'SELECT') as PostgresQueryResult<R>['command'],
            rowCount: result.affectedRows ?? result.rows.length,
            rows: result.rows as R[],
          };
        },
        release,
      };
      return client as PostgresPoolClient;
    },
    async end() {
      await tail;
      await runner.close();
    },
  };
}
