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

/**
 * Adapts a single embedded database (PGlite, in-process or in a worker) to the pool
 * interface of Kysely's PostgresDialect. PGlite has one session, so connections are
 * handed out one at a time: a transaction owns the session until it releases it.
 */
export function createSerialPool(runner: QueryRunner): PostgresPool {
  let tail: Promise<void> = Promise.resolve();
  return {
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
          const result = copy
            ? await runner.query(copy.statement.replace(/ from stdin$/i, " from '/dev/blob'"), [], copy.data)
            : await runner.query(sql, params);
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
