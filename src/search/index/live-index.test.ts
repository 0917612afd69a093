import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editFiche } from '../../../bench/lib/edit.js';
import { testEngines, useTestDatabase } from '../../../test/helpers/databases.js';
import { setPublication } from '../../actions/actions.repository.js';
import { inTransaction } from '../../db/transaction.js';
import { indexActions } from '../indexing.service.js';
import { search } from '../search.service.js';
import { liveIndexOf } from './index.service.js';

for (const engine of testEngines()) {
  describe(`search index kept at the database's generation (${engine})`, () => {
    const ctx = useTestDatabase(engine, { seed: true });

    it('has walked the phrases of the synonyms before a search needs them', async () => {
      await search(ctx.handle.db, { q: 'jardin' });
      const { index } = await liveIndexOf(ctx.handle.db).fresh();
      const walked = index.stats().phraseWalks;
      // « seniors » stands for « personnes âgées », among others: a phrase of two words.
      assert.ok(walked > 0, 'aucune locution parcourue');
      assert.ok((await search(ctx.handle.db, { q: 'seniors' })).total > 0);
      assert.equal(index.stats().phraseWalks, walked);
    });

    it('asks the database again only when something may have changed', async () => {
      const live = liveIndexOf(ctx.handle.db);
      const { items, total } = await search(ctx.handle.db, { q: 'seniors' });
      const asked = live.reads;
      await search(ctx.handle.db, { q: 'numérique' });
      await search(ctx.handle.db, { q: 'seniors', filters: { status: ['en-cours'] } });
      // PGlite's one writer is this process; PostgreSQL has others, so every search asks.
      assert.equal(live.reads - asked, engine === 'pglite' ? 0 : 2);

      await editFiche(ctx.handle.db, items[0].id);
      const edited = await search(ctx.handle.db, { q: '"mise à jour"' });
      assert.deepEqual(
        edited.items.map((item) => item.id),
        [items[0].id],
      );
      const withdrawn = items[1].id;
      await inTransaction(ctx.handle.db, async (tx) => {
        await setPublication(tx, withdrawn, 'archived');
        await indexActions(tx, [withdrawn]);
      });
      const after = await search(ctx.handle.db, { q: 'seniors' });
      assert.equal(after.total, total - 1);
      assert.ok(!after.items.some((item) => item.id === withdrawn));
      assert.ok(live.reads - asked >= 2);
    });
  });
}
