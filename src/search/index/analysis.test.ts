import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { generatedDump } from '../../../bench/lib/dump-file.js';
import { hostileQueries } from '../../../bench/lib/hostile.js';
import { loadMix } from '../../../bench/lib/mix.js';
import { openTestDatabase, testEngines } from '../../../test/helpers/databases.js';
import type { DbHandle } from '../../db/connect.js';
import { importDump } from '../../legacy-dump/import.service.js';
import { parseQuery, SynonymIndex } from '../query.js';
import { tsquery } from '../search.repository.js';
import { analyseQuery } from './index.repository.js';

// Synonyms of several words, so that phrases come from synonyms too.
const SYNONYMS = new SynonymIndex([
  ['seniors', 'personnes âgées', 'aînés'],
  ['vélo', 'bicyclette'],
]);

// What a user types: stop words alone, OR, exclusions, quotes, synonyms, a last word being typed.
const TYPED = [
  'le la les',
  'jardin',
  'jardin partagé',
  'seniors OR jeunes',
  '-sport seniors',
  '"repas partagé" familles',
  '-"personnes âgées" numérique',
  'vélo OR "aide aux devoirs" -bébé rando',
  'numéri',
  'seniors OR aîn',
  'l’accueil des aînés au centre',
];

for (const engine of testEngines()) {
  describe(`the analysis of a query for the index (${engine})`, () => {
    let handle: DbHandle;

    before(async () => {
      handle = await openTestDatabase(engine);
      // A lexicon, for the completions of the last word.
      await importDump(handle.db, generatedDump(300, 7));
    });
    after(async () => {
      await handle.close();
    });

    it('gives the tsquery that the plain search writes with the operators, for every query', async () => {
      const queries = [
        ...TYPED,
        ...(await loadMix()).flatMap((q) => (q.q ? [q.q] : [])),
        ...hostileQueries().map((q) => q.q as string),
      ];
      let completed = 0;
      for (const q of queries) {
        const parsed = parseQuery(q, SYNONYMS);
        if (parsed.length === 0) continue;
        const analysed = await analyseQuery(handle.db, parsed, []);
        const { rows } = await sql<{ query: string }>`select (${tsquery(parsed)})::text as query`.execute(handle.db);
        assert.equal(analysed.query, rows[0].query, q);
        if (analysed.query.includes('|') && parsed.at(-1)?.at(-1)?.prefix) completed++;
      }
      // The completions were part of it, not only plain words.
      assert.ok(completed > 10, `${completed} requêtes complétées`);
    });
  });
}
