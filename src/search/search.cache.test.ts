import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generatedDump } from '../../bench/lib/dump-file.js';
import { loadMix } from '../../bench/lib/mix.js';
import { VARIANTS } from '../../bench/lib/variants.js';
import { openTestDatabase, testEngines } from '../../test/helpers/databases.js';
import { type DbHandle, openDatabase } from '../db/connect.js';
import { importDump } from '../legacy-dump/import.service.js';
import { DEFAULT_TUNING, type SearchRequest } from './search.model.js';
import { search } from './search.service.js';
import { addSynonymGroup } from './synonyms.service.js';

const BASELINE = VARIANTS.baseline;

// Everything a visitor sees of a search, to compare two ways of computing it.
const seen = async (handle: DbHandle, request: SearchRequest, tuning = DEFAULT_TUNING) => {
  const result = await search(handle.db, request, tuning);
  return { total: result.total, items: result.items, facets: result.facets, suggestion: result.suggestion };
};

for (const engine of testEngines()) {
  describe(`search optimisations on a generated set (${engine})`, () => {
    let handle: DbHandle;

    before(async () => {
      handle = await openTestDatabase(engine);
      await importDump(handle.db, generatedDump(2000, 3));
    });
    after(async () => {
      await handle.close();
    });

    it('give the same results, facet counts and suggestions as the plain search, cold and warm', async () => {
      // The plain search, then each optimisation alone and all together. The index ranks and
      // words suggestions its own way (src/search/index/index.test.ts compares its sets with the
      // plain search's): with it, the caches must change nothing of what the index alone gives.
      const variants = Object.entries(VARIANTS).filter(([name]) => !name.startsWith('without-') && name !== 'baseline');
      const mix = await loadMix(60);
      for (let pass = 1; pass <= 2; pass++) {
        for (const query of mix) {
          const plain = await seen(handle, query, BASELINE);
          const indexed = await seen(handle, query, VARIANTS['only-index']);
          assert.deepEqual([indexed.total, indexed.facets], [plain.total, plain.facets], JSON.stringify(query));
          for (const [name, tuning] of variants) {
            assert.deepEqual(
              await seen(handle, query, tuning),
              tuning.index ? indexed : plain,
              `${name}, passage ${pass} : ${JSON.stringify(query)}`,
            );
          }
        }
      }
    });

    it('show a write in the very next search: an import, a changed fiche, a synonym', async () => {
      const everything = await seen(handle, {});
      const broad = await seen(handle, { q: 'seniors' });
      assert.ok(broad.total > 1000, `seulement ${broad.total} fiches pour « seniors »`);

      const { created } = await importDump(handle.db, generatedDump(40, 4));
      assert.ok(created > 30);
      const grown = await seen(handle, {});
      assert.equal(grown.total, everything.total + created);
      assert.deepEqual(grown, await seen(handle, {}, BASELINE));
      const seniors = await seen(handle, { q: 'seniors' });
      assert.deepEqual(seniors, await seen(handle, { q: 'seniors' }, VARIANTS['only-index']));
      const plainSeniors = await seen(handle, { q: 'seniors' }, BASELINE);
      assert.deepEqual([seniors.total, seniors.facets], [plainSeniors.total, plainSeniors.facets]);

      // Re-importing a fiche with another résumé is an edit of that fiche.
      const fiche = generatedDump(40, 4).replace(/(- Résumé\n)[^\n]+/, '$1Atelier de xylographie partagée');
      await importDump(handle.db, fiche);
      const edited = await seen(handle, { q: 'xylographie' });
      assert.equal(edited.total, 1);
      assert.deepEqual(edited, await seen(handle, { q: 'xylographie' }, BASELINE));

      assert.equal((await seen(handle, { q: 'gravure' })).total, 0);
      await addSynonymGroup(handle.db, ['xylographie', 'gravure']);
      const widened = await seen(handle, { q: 'gravure' });
      assert.equal(widened.total, 1);
      assert.deepEqual(widened, await seen(handle, { q: 'gravure' }, BASELINE));
    });
  });
}

if (process.env.TEST_DATABASE_URL) {
  describe('search cache shared by two processes on one PostgreSQL database', () => {
    it('lets the web process see what another process (the CLI) wrote', async () => {
      const url = process.env.TEST_DATABASE_URL as string;
      const web = await openTestDatabase('postgres');
      // The CLI's own connection to the same schema, as `essaim import` would open.
      const schema = (
        await web.db.selectNoFrom((eb) => eb.fn<string>('current_schema', []).as('s')).executeTakeFirstOrThrow()
      ).s;
      const cli = await openDatabase({ databaseUrl: url, schema });
      try {
        await importDump(web.db, generatedDump(30, 5));
        assert.equal((await seen(web, {})).total, 30);
        assert.equal((await seen(web, { q: 'seniors' })).total, (await seen(web, { q: 'seniors' }, BASELINE)).total);
        await importDump(cli.db, generatedDump(20, 6));
        assert.equal((await seen(web, {})).total, 50);
      } finally {
        await cli.close();
        await web.close();
      }
    });
  });
}
