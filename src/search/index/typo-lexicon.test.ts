import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { generatedDump } from '../../../bench/lib/dump-file.js';
import { hostileQueries } from '../../../bench/lib/hostile.js';
import { loadMix } from '../../../bench/lib/mix.js';
import { openTestDatabase, SEED, testEngines } from '../../../test/helpers/databases.js';
import type { DbHandle } from '../../db/connect.js';
import { importDump } from '../../legacy-dump/import.service.js';
import { checkableTerms, parseQuery, SynonymIndex } from '../query.js';
import { checkWords } from '../search.repository.js';
import { readGenerations } from './index.repository.js';
import { typoLexiconOf } from './index.service.js';
import { trigramsOf } from './typo-lexicon.js';

// Texts whose trigrams pg_trgm must agree on: several words, case, apostrophes, digits, one letter.
const TEXTS = ['jardin', 'Jardin Partagé', "aujourd'hui", 'a', 'x1 2y', 'co-working', 'œuvre', 'ça va ?'];

// Typos a user makes: letters swapped, doubled, dropped, accents forgotten or misplaced.
const TYPOS = [
  'vieillisement',
  'pratenaires',
  'inofrmatique',
  'numerqiue',
  'jradin',
  'parentalitée',
  'solidarite',
  'benevolles',
  'randone',
  'theatre',
  'alimentaton',
  'quartiier',
  'cuisinne',
  'écritur',
  'xqzwv',
];

/** A word with two of its letters swapped, halfway: a typo of it. */
const swapped = (word: string) => {
  const i = word.length >> 1;
  return word.slice(0, i - 1) + word[i] + word[i - 1] + word.slice(i + 1);
};

for (const engine of testEngines()) {
  describe(`the typo corrections from the process's lexicon (${engine})`, () => {
    let handle: DbHandle;

    before(async () => {
      handle = await openTestDatabase(engine);
      await importDump(handle.db, SEED);
      await importDump(handle.db, generatedDump(1500, 11));
    });
    after(async () => {
      await handle.close();
    });

    it('takes the trigrams pg_trgm takes', async () => {
      for (const text of TEXTS) {
        const { rows } = await sql<{ trigrams: string[] }>`select show_trgm(${text}) as trigrams`.execute(handle.db);
        // pg_trgm shows a trigram of a character outside ASCII as a hash (0x…): only the others compare.
        const ascii = (trigrams: Iterable<string>) =>
          [...trigrams].filter((t) => /^[\x20-\x7e]+$/.test(t) && !/^0x[0-9a-f]+$/.test(t)).sort();
        const shown = rows[0].trigrams.map((t) => t.replace(/^"|"$/g, ''));
        assert.deepEqual(ascii(trigramsOf(text)), ascii(shown), text);
        assert.equal(trigramsOf(text).size, shown.length, text);
      }
    });

    it('suggests for every word the word PostgreSQL’s trigram look-up suggests', async () => {
      const { generation } = await readGenerations(handle.db);
      const lexicon = await typoLexiconOf(handle.db, generation);
      const { rows } = await sql<{ word: string }>`select word from search_words order by word`.execute(handle.db);
      assert.equal(lexicon.size, rows.length);
      const queries = [...(await loadMix()), ...hostileQueries()].flatMap((q) => (q.q ? [q.q] : []));
      const typed = queries.flatMap((q) => checkableTerms(parseQuery(q, new SynonymIndex([]))).map((t) => t.words[0]));
      const words = [
        ...new Set([...TYPOS, ...typed, ...rows.filter((_, i) => i % 9 === 0).map((r) => swapped(r.word))]),
      ];
      assert.ok(words.length > 500, `${words.length} mots seulement`);
      const { rows: plains } = await sql<{ plain: string }>`
        select unaccent(lower(w)) as plain from unnest(${words}::text[]) with ordinality u(w, n) order by n`.execute(
        handle.db,
      );
      const expected = await checkWords(handle.db, words);
      let suggested = 0;
      for (const [i, word] of words.entries()) {
        assert.equal(lexicon.correction(plains[i].plain), expected[i].suggestion, word);
        if (expected[i].suggestion) suggested++;
      }
      // Most typos have a correction, and some words have none: both ways are compared.
      assert.ok(suggested > words.length / 2 && suggested < words.length, `${suggested} sur ${words.length}`);
    });

    it('takes in the words of a fiche imported after its first read', async () => {
      const before = await typoLexiconOf(handle.db, (await readGenerations(handle.db)).generation);
      assert.equal(before.correction('zooterapie'), null);
      await importDump(handle.db, generatedDump(1, 12).replace(/(- Résumé\n)[^\n]+/, '$1Ateliers de zoothérapie'));
      const after = await typoLexiconOf(handle.db, (await readGenerations(handle.db)).generation);
      assert.equal(after.correction('zooterapie'), 'zoothérapie');
    });
  });
}
