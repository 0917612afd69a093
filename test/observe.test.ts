import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { budgetRangeOf } from '../src/budgets/budgets.service.js';
import { FACET_NAMES } from '../src/search/facets.js';
import { openSeededApp, testEngines } from './helpers/databases.js';

// Searches that narrow the seed in different ways: text, one facet, several, a budget class.
const SEARCHES = [
  '',
  'keyword=vieillissement',
  'q=num%C3%A9rique&dimension=services',
  'region=75&region=44',
  'budget=1000-5000&budget=plus-20000',
  'keyword=vieillissement&keyword=culture&status=en-cours',
];

type Count = { code: string; count: number };

for (const engine of testEngines()) {
  describe(`what is counted, mapped, filtered and exported agrees (${engine})`, () => {
    let seeded: Awaited<ReturnType<typeof openSeededApp>>;
    before(async () => {
      seeded = await openSeededApp(engine);
    });
    after(() => seeded.close());
    const get = (url: string) => seeded.app.inject({ method: 'GET', url });

    for (const params of SEARCHES) {
      test(`the search « ${params || 'tout'} »`, async () => {
        const found = (await get(`/api/v1/actions?${params}`)).json();
        const stats = (await get(`/api/v1/statistics?${params}`)).json();
        const json: Array<{
          id: number;
          structure: { department: { code: string } };
          budget: { total: { amount: number } | null };
        }> = (await get(`/api/v1/actions/export?format=json&${params}`)).json().fiches;
        const csv: string[][] = parse((await get(`/actions/export?format=csv&${params}`)).rawPayload, {
          bom: true,
          delimiter: ';',
          from_line: 2,
        });
        const page = (await get(`/statistiques?${params}`)).body;

        // One total everywhere.
        assert.ok(found.total > 0, 'the search finds fiches');
        assert.equal(stats.total, found.total, 'statistics');
        assert.equal(json.length, found.total, 'JSON export');
        assert.equal(csv.length, found.total, 'CSV export');
        assert.match(page, new RegExp(`${found.total} fiches? actions?\\.`), 'statistics page');

        // A value's count is the same in the facets and the statistics; for an unselected facet,
        // every value is (a facet's own selection is an OR the statistics apply).
        for (const name of FACET_NAMES) {
          const facet = new Map<string, number>(found.facets[name].map((v: Count) => [v.code, v.count]));
          const selected = found.facets[name]
            .filter((v: { selected: boolean }) => v.selected)
            .map((v: Count) => v.code);
          const counted = new Map<string, number>(stats.counts[name].map((v: Count) => [v.code, v.count]));
          for (const [code, count] of counted) {
            if (selected.length === 0 || selected.includes(code)) {
              assert.equal(count, facet.get(code), `${name}=${code}`);
            }
          }
        }

        // The map, the département counts and the exported fiches' départements are the same.
        const exported = new Map<string, number>();
        for (const f of json) {
          const code = f.structure.department.code;
          exported.set(code, (exported.get(code) ?? 0) + 1);
        }
        const counted = new Map<string, number>(stats.counts.department.map((v: Count) => [v.code, v.count]));
        assert.deepEqual(new Map([...counted].sort()), new Map([...exported].sort()), 'départements');
        const mapped = new Map<string, number>();
        for (const m of page.matchAll(
          /<a href="[^"]*" aria-label="[^"(]+\((\w+)\)\u00a0: (aucune fiche|(\d+) fiches?)">/g,
        )) {
          if (m[3]) mapped.set(m[1], Number(m[3]));
        }
        assert.deepEqual(new Map([...mapped].sort()), new Map([...exported].sort()), 'map');

        // Budget classes of the exported fiches are the budget counts.
        const classes = new Map<string, number>();
        for (const f of json) {
          const code = budgetRangeOf(f.budget.total?.amount ?? null) ?? 'non-chiffre';
          classes.set(code, (classes.get(code) ?? 0) + 1);
        }
        const budgets = new Map<string, number>(stats.counts.budget.map((v: Count) => [v.code, v.count]));
        assert.deepEqual(new Map([...budgets].sort()), new Map([...classes].sort()), 'budgets');
      });
    }
  });
}

for (const engine of testEngines()) {
  describe(`statistics a reader can quote (${engine})`, () => {
    let seeded: Awaited<ReturnType<typeof openSeededApp>>;
    before(async () => {
      seeded = await openSeededApp(engine);
    });
    after(() => seeded.close());
    const get = (url: string) => seeded.app.inject({ method: 'GET', url });

    test('an imported fiche has no publication year or date: « année inconnue », « date inconnue »', async () => {
      const stats = (await get('/api/v1/statistics')).json();
      assert.deepEqual(stats.counts.year, [{ code: 'inconnue', label: 'Année inconnue', count: 25 }]);
      const fiche = (await get('/api/v1/actions/4')).json();
      assert.equal(fiche.publishedAt, null);
      assert.equal(fiche.updatedAt, null, 'unchanged since its import');
      assert.match(fiche.importedAt, /^\d{4}-\d{2}-\d{2}T/);
      const page = await get(fiche.url);
      assert.match(page.body, /Date de publication inconnue/);
      assert.doesNotMatch(page.body, /Publiée le|mise à jour le/);
      assert.equal((await get('/api/v1/actions?year=inconnue')).json().total, 25);
    });

    test('a median budget needs 5 fiches that state an amount', async () => {
      const all = (await get('/api/v1/statistics')).json();
      assert.ok(all.budgets.withAmount >= 5);
      assert.equal(typeof all.budgets.median, 'number');
      assert.ok(all.budgets.byKeyword.every((k: { count: number }) => k.count >= 5));
      // The dimension « Citoyenneté » narrows the seed to 2 fiches with an amount.
      const few = (await get('/api/v1/statistics?dimension=citoyennete')).json();
      assert.ok(few.budgets.withAmount > 0 && few.budgets.withAmount < 5, `${few.budgets.withAmount}`);
      assert.equal(few.budgets.median, null);
      assert.deepEqual(few.budgets.byKeyword, []);
      const page = await get('/statistiques?dimension=citoyennete');
      assert.match(page.body, /Trop peu de fiches chiffrées/);
    });
  });
}
