import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import type { QueryRunner } from './pglite-pool.js';

/** Opens PGlite in this thread, on disk when dataDir is given, in memory otherwise. */
export async function openPglite(dataDir: string | undefined): Promise<QueryRunner> {
  const pg = await PGlite.create({ dataDir, extensions: { unaccent, pg_trgm } });
  return {
    async query(sql, params, blob) {
      const result = await pg.query(
        sql,
        params as unknown[],
        blob ? { blob: new Blob([blob as Uint8Array<ArrayBuffer>]) } : undefined,
      );
      return { rows: result.rows, command: result.command, affectedRows: result.affectedRows };
    },
    close: () => pg.close(),
  };
}
