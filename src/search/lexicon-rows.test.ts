import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { openTestDatabase, testEngines } from '../../test/helpers/databases.js';
import { addLexiconWords } from './search-rows.repository.js';

for (const engine of testEngines()) {
  describe(`lexicon of the typo suggestions (${engine})`, () => {
    it('writes new words and growing counts, and leaves the other rows as they are', async () => {
      const handle = await openTestDatabase(engine);
      try {
        const rows = async () =>
          (
            await sql<{ word: string; documents: number; version: string }>`
              select word, documents, xmin::text as version from search_words
              where word in ('atelier', 'cuisine', 'jardinage') order by word`.execute(handle.db)
          ).rows;
        await addLexiconWords(handle.db, ['atelier', 'cuisine'], [3, 1]);
        const [atelier, cuisine] = await rows();
        // A publication holding the three words once each, then an import where « cuisine » grows.
        await addLexiconWords(handle.db, ['atelier', 'cuisine', 'jardinage'], [1, 1, 1]);
        await addLexiconWords(handle.db, ['cuisine'], [2]);
        const after = await rows();
        assert.deepEqual(
          after.map((r) => [r.word, r.documents]),
          [
            ['atelier', 3],
            ['cuisine', 2],
            ['jardinage', 1],
          ],
        );
        assert.equal(after[0].version, atelier.version, 'la ligne de « atelier » n’a pas été récrite');
        assert.notEqual(after[1].version, cuisine.version);
      } finally {
        await handle.close();
      }
    });
  });
}
