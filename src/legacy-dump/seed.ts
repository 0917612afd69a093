import { readFile } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import { countActions } from '../actions/actions.repository.js';
import type { Database } from '../db/database.js';
import { FICHE_START } from './format.js';
import { type ImportSummary, importDump } from './import.service.js';

/**
 * Imports the seed dump when the database holds no fiche yet (the first start); `onStart` is
 * told how many fiches the file holds before the import begins.
 */
export async function importSeedIfEmpty(
  db: Kysely<Database>,
  seedFile: string | undefined,
  onStart?: (fiches: number) => void,
): Promise<ImportSummary | undefined> {
  if (!seedFile || (await countActions(db)) > 0) return undefined;
  const bytes = await readFile(seedFile);
  onStart?.(
    bytes
      .toString('utf8')
      .split(/\r?\n/)
      .filter((line) => line === FICHE_START).length,
  );
  return importDump(db, bytes, { actor: 'seed' });
}
