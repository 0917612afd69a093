import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { testEngines, useTestDatabase } from '../../test/helpers/databases.js';
import { allFiches, fullText } from '../../test/helpers/fiches.js';
import { updateAction } from '../actions/actions.repository.js';
import { pickContent, type StoredFiche } from '../actions/fiche.js';
import type { SessionUser } from '../authorization/authorization.js';
import type { DbHandle } from '../db/connect.js';
import { inTransaction } from '../db/transaction.js';
import { saveStructure } from '../structures/structures.service.js';
import { indexActions } from './indexing.service.js';
import { DEFAULT_TUNING, type SearchResult } from './search.model.js';
import { search } from './search.service.js';
import { MARK_END, MARK_START } from './snippet.js';

/** Gives the fiche this résumé, stored and indexed as a save does. */
async function editSummary(handle: DbHandle, fiche: StoredFiche, summary: string): Promise<void> {
  await inTransaction(handle.db, async (tx) => {
    await updateAction(tx, fiche.id, { ...pickContent(fiche), summary });
    await indexActions(tx, [fiche.id]);
  });
}

for (const engine of testEngines()) {
  describe(`search after a write (${engine})`, () => {
    const ctx = useTestDatabase(engine, { seed: true });
    let fiches: StoredFiche[];

    before(async () => {
      fiches = await allFiches(ctx.handle);
    });

    it('shows an edited fiche and a renamed structure in the next search, snippet included', async () => {
      const before = await search(ctx.handle.db, { q: 'tablette' });
      const [first] = before.items;
      const fiche = fiches.find((f) => f.id === first.id) as StoredFiche;
      await inTransaction(ctx.handle.db, async (tx) => {
        const content = pickContent(fiche);
        content.summary = 'Une tablette prêtée à chaque famille du quartier, avec un atelier le mardi.';
        await updateAction(tx, fiche.id, content);
        await indexActions(tx, [fiche.id]);
      });
      const admin: SessionUser = {
        id: 0,
        email: 'a@b.fr',
        name: 'Admin',
        isAdmin: true,
        structureIds: [],
        departementCodes: [],
      };
      const structure = {
        name: `${first.structure.name} (nouveau nom)`,
        departementCode: first.structure.department.code,
        kind: '',
      };
      await saveStructure(ctx.handle.db, admin, first.structure.id, structure);
      try {
        const item = (await search(ctx.handle.db, { q: 'tablette', perPage: 100 })).items.find(
          (i) => i.id === fiche.id,
        );
        assert.ok(item);
        assert.match(item.snippet, new RegExp(`${MARK_START}tablette${MARK_END} prêtée à chaque famille du quartier`));
        assert.equal(item.structure.name, structure.name);
      } finally {
        await inTransaction(ctx.handle.db, async (tx) => {
          await updateAction(tx, fiche.id, pickContent(fiche));
          await indexActions(tx, [fiche.id]);
        });
        await saveStructure(ctx.handle.db, admin, first.structure.id, { ...structure, name: first.structure.name });
      }
    });

    it('keeps a page across a write that does not concern it, never across one that does', async () => {
      const edit = (id: number, summary: string) =>
        editSummary(ctx.handle, fiches.find((f) => f.id === id) as StoredFiche, summary);
      const tablette = await search(ctx.handle.db, { q: 'tablette' });
      assert.ok(tablette.total > 0 && tablette.total < 20, 'every match on the first page');
      const elsewhere = fiches.find((f) => !tablette.items.some((i) => i.id === f.id)) as StoredFiche;
      // A match that says the word in its résumé only, so that a new résumé takes it out.
      const inside = fiches.find(
        (f) =>
          tablette.items.some((i) => i.id === f.id) && !/tablette/.test(fullText({ ...f, summary: '' } as StoredFiche)),
      ) as StoredFiche;
      assert.ok(inside, 'a match with the word in its résumé only');
      try {
        // A fiche that neither matched nor matches: the very same page comes back.
        await edit(elsewhere.id, 'Un atelier cuisine entre voisins, chaque jeudi.');
        assert.equal(await search(ctx.handle.db, { q: 'tablette' }), tablette);
        // The same fiche, now saying the word: it is counted and listed at once.
        await edit(elsewhere.id, 'Une tablette pour chaque voisin, chaque jeudi.');
        const grown = await search(ctx.handle.db, { q: 'tablette', perPage: 20 });
        assert.notEqual(grown, tablette);
        assert.equal(grown.total, tablette.total + 1);
        assert.ok(grown.items.some((i) => i.id === elsewhere.id));
        // A fiche among the matches that no longer says the word: it leaves the page.
        await edit(inside.id, 'Un atelier cuisine entre voisins.');
        const shrunk = await search(ctx.handle.db, { q: 'tablette' });
        assert.equal(shrunk.total, tablette.total);
        assert.ok(!shrunk.items.some((i) => i.id === inside.id));
      } finally {
        for (const fiche of [elsewhere, inside]) await edit(fiche.id, fiche.summary ?? '');
      }
      assert.deepEqual(await search(ctx.handle.db, { q: 'tablette' }), tablette);
    });

    it('mends a kept page that a write concerns into the page a search afresh gives', async () => {
      const edit = (fiche: StoredFiche, summary: string) => editSummary(ctx.handle, fiche, summary);
      const ids = (result: SearchResult) => result.items.map((i) => i.id).sort((a, b) => a - b);
      const everything = await search(ctx.handle.db, {});
      const keyword = everything.facets.keyword[0].code;
      const requests = [
        {},
        { perPage: 5, page: 2 },
        { q: 'atelier' },
        { q: 'atelier', sort: 'title' as const, filters: { keyword: [keyword] } },
        { q: 'social', sort: 'budget' as const, perPage: 5 },
        { filters: { keyword: [keyword], department: [everything.facets.department[0].code] } },
        // A phrase: the index takes up its walk of the lists where the last search left it.
        { q: '"atelier social"' },
      ];
      for (const request of requests) await search(ctx.handle.db, request);
      const first = fiches.find((f) => f.id === everything.items[0].id) as StoredFiche;
      const middle = fiches.find((f) => f.id === everything.items[7].id) as StoredFiche;
      const unrelated = fiches.find((f) => !fullText(f).includes('atelier')) as StoredFiche;
      const steps: Array<[StoredFiche, string]> = [
        // A result below the first page: its old version leaves, its new one is ranked again.
        [middle, `${middle.summary ?? ''} Un atelier de plus.`],
        // A fiche that did not match « atelier » and now does.
        [unrelated, 'Un atelier social, atelier après atelier, pour tout le quartier.'],
        // The first result of every page: the pages are ranked afresh.
        [first, 'Plus rien à voir.'],
        [unrelated, unrelated.summary ?? ''],
        [middle, middle.summary ?? ''],
        [first, first.summary ?? ''],
      ];
      for (const [fiche, summary] of steps) {
        await edit(fiche, summary);
        for (const request of requests) {
          const mended = await search(ctx.handle.db, request);
          const afresh = await search(ctx.handle.db, request, { ...DEFAULT_TUNING, pageCache: false });
          const where = `${JSON.stringify(request)} after editing fiche ${fiche.id}`;
          assert.deepEqual(
            mended.items.map((i) => i.id),
            afresh.items.map((i) => i.id),
            where,
          );
          assert.deepEqual(mended, afresh, where);
        }
        // The index's own sets of a word and a phrase, taken up after the write, against PostgreSQL.
        for (const request of [requests[2], requests[6]]) {
          const plain = await search(ctx.handle.db, request, { ...DEFAULT_TUNING, index: false });
          const indexed = await search(ctx.handle.db, request);
          const where = `${request.q} after editing fiche ${fiche.id}`;
          assert.deepEqual(
            [indexed.total, indexed.facets, ids(indexed)],
            [plain.total, plain.facets, ids(plain)],
            where,
          );
        }
      }
      // Every text back as it was: the same counts (the order is by date of change).
      const restored = await search(ctx.handle.db, {});
      assert.deepEqual([restored.total, restored.facets], [everything.total, everything.facets]);
    });
  });
}
