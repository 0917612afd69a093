import { loadFiches, updateAction } from '../../src/actions/actions.repository.js';
import { pickContent } from '../../src/actions/fiche.js';
import type { Db } from '../../src/db/database.js';
import { inTransaction } from '../../src/db/transaction.js';
import { indexActions } from '../../src/search/indexing.service.js';

const MARK = ' (mise à jour)';

/**
 * Edits one published fiche as a reviewer's approval does (the fiche row, then its budget and
 * search row, in one transaction): its résumé gains or loses a few words. The search generation
 * goes up, so every cache of search results is outdated, as after any publication.
 */
export async function editFiche(db: Db, actionId: number): Promise<void> {
  await inTransaction(db, async (tx) => {
    const [fiche] = await loadFiches(tx, [actionId]);
    if (!fiche) throw new Error(`no fiche ${actionId}`);
    const content = pickContent(fiche);
    const summary = content.summary ?? '';
    content.summary = summary.endsWith(MARK) ? summary.slice(0, -MARK.length) : summary + MARK;
    await updateAction(tx, actionId, content);
    await indexActions(tx, [actionId]);
  });
}
