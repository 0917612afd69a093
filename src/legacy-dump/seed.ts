import { readFile } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import { countActions } from '../actions/actions.repository.js';
import type { Database } from '../db/database.js';
import { type ImportSummary, importDump } from './import.service.js';

/** Imports the seed dump when the database holds no fiche yet (the first start). */
export async function importSeedIfEmpty(
  db: Kysely<Database>,
  seedFile: string | undefined,
): Promise<ImportSummary | undefined> {
  if (!seedFile || (await countActions(db)) > 0) return undefined;
  return importDump(db, await readFile(seedFile), { actor: 'seed' });
}
