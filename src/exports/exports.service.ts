import { presentFiche } from '../actions/actions.presenter.js';
import { listActionIds, loadFiches } from '../actions/actions.repository.js';
import type { StoredFiche } from '../actions/fiche.js';
import type { Db } from '../db/database.js';
import { HEADER } from '../legacy-dump/format.js';
import { toDumpFiche } from '../legacy-dump/to-dump.js';
import { ficheLines } from '../legacy-dump/writer.js';
import { loadReferenceIndex } from '../vocabularies/vocabularies.service.js';

export const EXPORT_FORMATS = ['dump', 'json', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const BATCH = 500;

async function* allFiches(db: Db): AsyncGenerator<StoredFiche> {
  let after = 0;
  for (;;) {
    const ids = await listActionIds(db, after, BATCH);
    if (ids.length === 0) return;
    yield* await loadFiches(db, ids);
    after = ids[ids.length - 1];
  }
}

/**
 * Writes every fiche in the given format, in the order they were first stored, chunk by
 * chunk so that a national export never sits whole in memory.
 */
export async function exportFiches(db: Db, format: ExportFormat, write: (chunk: string) => void | Promise<void>) {
  const ref = await loadReferenceIndex(db);
  let count = 0;
  if (format === 'dump') await write(HEADER);
  if (format === 'json') await write('[');
  for await (const fiche of allFiches(db)) {
    if (format === 'dump') await write(`\n${ficheLines(toDumpFiche(fiche, ref)).join('\n')}`);
    else {
      const json = JSON.stringify(presentFiche(fiche, ref), null, format === 'json' ? 2 : undefined);
      await write(format === 'json' ? `${count === 0 ? '\n' : ',\n'}${json}` : `${json}\n`);
    }
    count++;
  }
  if (format === 'json') await write(count === 0 ? ']\n' : '\n]\n');
  return count;
}
