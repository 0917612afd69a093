import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import type { QueryRunner } from './pglite-pool.js';

/** The extensions every PGlite database of the app loads. */
export const PGLITE_EXTENSIONS = { unaccent, pg_trgm };

/**
 * Makes a PGlite data folder from a tarball of `dumpDataDir`, then closes it: the restore of
 * an embedded database's backup.
 */
export async function loadPgliteDataDir(dataDir: string, tarball: Blob): Promise<void> {
  const pg = await PGlite.create({ dataDir, loadDataDir: tarball, extensions: PGLITE_EXTENSIONS });
  await pg.close();
}

/**
 * Opens PGlite in this thread, on disk when dataDir is given, in memory otherwise; started from
 * a data folder's tarball (`dumpDataDir`) when given one.
 */
export async function openPglite(dataDir: string | undefined, from?: Blob): Promise<QueryRunner> {
  const pg = await PGlite.create({ dataDir, loadDataDir: from, extensions: PGLITE_EXTENSIONS });
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
    dumpDataDir: () => pg.dumpDataDir('gzip'),
  };
}
