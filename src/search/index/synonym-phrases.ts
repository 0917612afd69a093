import type { Db } from '../../db/database.js';
import { parseQuery, SynonymIndex } from '../query.js';
import { listSynonymGroups } from '../synonyms.repository.js';
import { analyseQuery } from './index.repository.js';
import type { SearchIndex } from './search-index.js';
import { parseTsquery } from './text-search.js';

/**
 * Walks the phrases of the synonyms of several words (« personnes âgées », « bien vieillir ») in
 * a new index, so that its walks (ADR 0013) are kept before any search needs them: the first
 * walk of a phrase of two long lists reads every position of both, 10 to 30 ms at 100 000 fiches,
 * and « seniors » or « retraités » then stand for such a phrase in every search.
 */
export async function walkSynonymPhrases(db: Db, index: SearchIndex): Promise<void> {
  const groups = (await listSynonymGroups(db)).map((group) => group.terms);
  const synonyms = new SynonymIndex(groups);
  for (const term of groups.flat().filter((t) => /\s/.test(t.trim()))) {
    const query = parseQuery(term, synonyms);
    const tree = parseTsquery((await analyseQuery(db, query, [])).query);
    if (tree) index.match({ text: tree });
  }
}
