import path from 'node:path';
import type { Config } from './config.js';
import { type DbHandle, openDatabase } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { indexUnindexedActions } from './search/indexing.service.js';
import { seedReferenceData } from './vocabularies/vocabularies.service.js';

/** Where the embedded database lives inside DATA_DIR. */
export function pgliteDir(config: Config): string {
  return path.join(config.dataDir, 'db');
}

/**
 * Opens the configured database, applies pending migrations and loads the reference data
 * (départements, vocabularies), so that the app and every command start from the same state.
 */
export async function openAppDatabase(
  config: Config,
  options: { worker?: boolean } = {},
): Promise<DbHandle & { appliedMigrations: string[] }> {
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: config.databaseUrl ? undefined : pgliteDir(config),
    worker: options.worker,
  });
  try {
    const { results = [] } = await migrateToLatest(handle.db);
    await handle.db.transaction().execute(async (trx) => {
      await seedReferenceData(trx);
      await indexUnindexedActions(trx);
    });
    return { ...handle, appliedMigrations: results.map((r) => r.migrationName) };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * The database handle the web process serves with: on PostgreSQL a new pool whose statements
 * stop after STATEMENT_TIMEOUT_MS, opened once start-up (migrations, the seed, the indexing,
 * which may take longer) is done with `handle`, which it closes. PGlite has no such timeout:
 * its one session is the app's.
 */
export async function webDatabase(handle: DbHandle, config: Config): Promise<DbHandle> {
  if (!config.databaseUrl || config.statementTimeoutMs === 0) return handle;
  const web = await openDatabase({ databaseUrl: config.databaseUrl, statementTimeoutMs: config.statementTimeoutMs });
  await handle.close();
  return web;
}
