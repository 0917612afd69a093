import { setTimeout as sleep } from 'node:timers/promises';
import { type Kysely, type Migration, type MigrationResultSet, Migrator, sql } from 'kysely';
import * as m0001 from './migrations/0001_initial.js';
import * as m0002 from './migrations/0002_search.js';
import * as m0003 from './migrations/0003_scale.js';
import * as m0004 from './migrations/0004_accounts.js';
import * as m0005 from './migrations/0005_workflow.js';
import * as m0006 from './migrations/0006_attachments.js';
import * as m0007 from './migrations/0007_budgets.js';
import * as m0008 from './migrations/0008_reuse.js';
import * as m0009 from './migrations/0009_dates.js';
import * as m0010 from './migrations/0010_search_index.js';
import * as m0011 from './migrations/0011_bulk_index.js';
import * as m0012 from './migrations/0012_start_month.js';
import * as m0013 from './migrations/0013_structure_contact.js';
import * as m0014 from './migrations/0014_inspiration.js';
import * as m0015 from './migrations/0015_reports.js';
import * as m0016 from './migrations/0016_freshness.js';
import * as m0017 from './migrations/0017_figures.js';
import * as m0018 from './migrations/0018_app_settings.js';
import * as m0019 from './migrations/0019_proconnect.js';
import * as m0020 from './migrations/0020_typo_index.js';
import * as m0021 from './migrations/0021_query_analysis.js';
import * as m0022 from './migrations/0022_lexicon_generation.js';
import * as m0023 from './migrations/0023_toast_storage.js';

/** Every migration, in the order it runs; a new one is a new file added at the end here. */
const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_search': m0002,
  '0003_scale': m0003,
  '0004_accounts': m0004,
  '0005_workflow': m0005,
  '0006_attachments': m0006,
  '0007_budgets': m0007,
  '0008_reuse': m0008,
  '0009_dates': m0009,
  '0010_search_index': m0010,
  '0011_bulk_index': m0011,
  '0012_start_month': m0012,
  '0013_structure_contact': m0013,
  '0014_inspiration': m0014,
  '0015_reports': m0015,
  '0016_freshness': m0016,
  '0017_figures': m0017,
  '0018_app_settings': m0018,
  '0019_proconnect': m0019,
  '0020_typo_index': m0020,
  '0021_query_analysis': m0021,
  '0022_lexicon_generation': m0022,
  '0023_toast_storage': m0023,
};

async function migratorOf(db: Kysely<any>): Promise<Migrator> {
  // Kysely looks for its own tables in every schema unless told which: another schema of the
  // database holding them (another app, a test run beside this one) would pass for ours.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableSchema: rows[0].schema,
  });
}

/** The migrations this code has that the database has not applied (a newer instance may have more). */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const migrations = await (await migratorOf(db)).getMigrations();
  return migrations.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

// Kysely checks for its own tables by reading the columns of every schema of the database. A
// schema or table that another session drops meanwhile (another app's, a test run's beside
// this one) fails that read with one of these codes, before any migration has run: worth
// another try, not a failure.
const CATALOG_CHANGED = new Set(['3F000', '42P01', 'XX000']);
const TRIES = 5;

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const migrator = await migratorOf(db);
  for (let attempt = 1; ; attempt++) {
    const resultSet = await migrator.migrateToLatest();
    if (!resultSet.error) return resultSet;
    const code = (resultSet.error as { code?: string }).code ?? '';
    if (attempt < TRIES && !resultSet.results && CATALOG_CHANGED.has(code)) {
      // A short, uneven pause, so that the next read falls outside the other session's change.
      await sleep(50 + Math.random() * 100);
      continue;
    }
    const failed = resultSet.results?.find((r) => r.status === 'Error')?.migrationName ?? '?';
    throw new Error(`La migration ${failed} a échoué\u00a0: ${(resultSet.error as Error).message}`, {
      cause: resultSet.error,
    });
  }
}
