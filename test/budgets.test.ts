import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { importDump } from '../src/legacy-dump/import.service.js';
import { parseDump } from '../src/legacy-dump/parser.js';
import { writeDump } from '../src/legacy-dump/writer.js';
import { indexUnindexedActions } from '../src/search/indexing.service.js';
import { openSeededApp, SEED, testEngines } from './helpers/databases.js';

const TITLE = 'Activités physiques séniors';

for (const engine of testEngines()) {
  describe(`stored budgets follow the fiches (${engine})`, () => {
    let seeded: Awaited<ReturnType<typeof openSeededApp>>;
    before(async () => {
      seeded = await openSeededApp(engine);
    });
    after(() => seeded.close());

    const api = (url: string) => seeded.app.inject({ method: 'GET', url }).then((r) => r.json());
    const budgetOf = async (title: string) => {
      const found = await api(`/api/v1/actions?perPage=100&sort=budget`);
      const item = found.items.find((i: { title: string }) => i.title === title);
      return { rank: found.items.indexOf(item), fiche: await api(`/api/v1/actions/${item.id}`) };
    };

    test('a changed resources text changes the budget, its class and the order by budget', async () => {
      assert.equal((await budgetOf(TITLE)).fiche.budget.total.amount, 12137);
      assert.equal((await api('/api/v1/actions?budget=plus-20000')).total, 4);
      const fiches = parseDump(SEED).fiches.map((f) =>
        f.title === TITLE ? { ...f, financialResources: 'Coût total : 95 000 € sur trois ans.' } : f,
      );
      const { updated } = await importDump(seeded.handle.db, writeDump(fiches));
      assert.equal(updated, 1);
      const after = await budgetOf(TITLE);
      assert.deepEqual(after.fiche.budget.total, { amount: 95000, confidence: 'high' });
      assert.equal(after.rank, 0, 'now the largest budget');
      assert.equal((await api('/api/v1/actions?budget=plus-20000')).total, 5);
    });

    test('budgets read by an older extractor, or never, are read again at start', async () => {
      const { db } = seeded.handle;
      await db.deleteFrom('action_budgets').where('action_id', '<=', 5).execute();
      await db.updateTable('action_budgets').set({ extractor_version: 0 }).where('action_id', '>', 20).execute();
      const stale = await db
        .selectFrom('action_budgets')
        .select('action_id')
        .where('extractor_version', '=', 0)
        .execute();
      assert.ok(stale.length > 0);
      const reindexed = await indexUnindexedActions(db);
      assert.equal(reindexed, 5 + stale.length);
      const rows = await db.selectFrom('action_budgets').select(['action_id', 'extractor_version']).execute();
      assert.equal(rows.length, 25);
      assert.ok(rows.every((r) => r.extractor_version > 0));
      const classes = 'budget=non-chiffre&budget=moins-1000&budget=1000-5000&budget=5000-20000&budget=plus-20000';
      assert.equal((await api(`/api/v1/actions?${classes}`)).total, 25, 'every fiche in one budget class');
    });
  });
}
