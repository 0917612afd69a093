import { loadFiches } from '../../src/actions/actions.repository.js';
import type { StoredFiche } from '../../src/actions/fiche.js';
import { CONTENT_FIELDS } from '../../src/actions/fields.js';
import { loadConfig } from '../../src/config.js';
import type { DbHandle } from '../../src/db/connect.js';
import type { Db } from '../../src/db/database.js';
import type { ExportFormat } from '../../src/exports/export-formats.js';
import { exportFiches } from '../../src/exports/exports.service.js';

/** A text without accents nor capitals, as the search compares words. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

// Every text a fiche says, for checking results against the text itself.
const TEXTS = CONTENT_FIELDS.filter((f) => ['title', 'text', 'line'].includes(f.kind)).map((f) => f.key);

/** Everything a fiche says, folded. */
export function fullText(fiche: StoredFiche): string {
  return fold(TEXTS.map((k) => (fiche as Record<string, unknown>)[k] ?? '').join(' '));
}

/** Every fiche of the database, in id order. */
export async function allFiches(handle: DbHandle): Promise<StoredFiche[]> {
  const ids = (await handle.db.selectFrom('actions').select('id').orderBy('id').execute()).map((r) => r.id);
  return loadFiches(handle.db, ids);
}

/** A whole export as text, as made outside a request: the default licence, links without a site. */
export async function exportedText(db: Db, format: Exclude<ExportFormat, 'xlsx'>): Promise<string> {
  let text = '';
  await exportFiches(
    db,
    format,
    (chunk) => {
      text += chunk;
    },
    { licence: loadConfig({}).site.licence },
  );
  return text;
}
