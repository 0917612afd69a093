import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import { generatedDump } from '../bench/lib/dump-file.js';
import { loadMix } from '../bench/lib/mix.js';
import { VARIANTS } from '../bench/lib/variants.js';
import { type DbHandle, openDatabase } from '../src/db/connect.js';
import { importDump } from '../src/legacy-dump/import.service.js';
import { DEFAULT_TUNING, type SearchRequest, search } from '../src/search/search.service.js';
import { addSynonymGroup } from '../src/search/synonyms.service.js';
import { openTestDatabase, testEngines } from './helpers/databases.js';
import { ROOT, tempDir } from './helpers/processes.js';

const run = promisify(execFile);
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

describe('benchmarks, smoke run on 500 fiches and 20 queries', () => {
  let data: Awaited<ReturnType<typeof tempDir>>;
  const env = () => ({ ...process.env, BENCH_DATA_DIR: data.dir });
  const npm = (...args: string[]) => run('npm', ['run', '-s', ...args], { cwd: ROOT, env: env(), maxBuffer: 1 << 24 });

  before(async () => {
    data = await tempDir('essaim-bench-');
  });
  after(async () => {
    if (process.env.TEST_DATABASE_URL) {
      const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await client.connect();
      await client.query('drop database if exists essaim_bench_500_s7 with (force)');
      await client.end();
    }
    await data.remove();
  });

  it('generates the same set for the same seed', async () => {
    const { stdout } = await npm('bench:generate', '--', '--count', '500', '--seed', '7');
    assert.match(stdout, /500 fiches, [\d.]+ MB/);
    assert.equal(generatedDump(3, 7), generatedDump(3, 7));
    assert.notEqual(generatedDump(3, 7), generatedDump(3, 8));
  });

  for (const engine of testEngines()) {
    it(`times the import, the search mix, the set layouts and the HTTP load (${engine})`, async () => {
      const common = ['--engine', engine, '--count', '500', '--seed', '7', '--queries', '20'];
      const searched = await npm('bench:search', '--', ...common, '--variants', 'baseline,current');
      assert.match(searched.stdout, /import of 500 fiches \(essaim import\): [\d.]+ s/);
      assert.match(searched.stdout, /worst event-loop stall [\d.]+ ms/);
      assert.match(searched.stdout, /search index: 500 fiches, \d+ lexemes/);
      for (const line of ['mix', 'hostile']) {
        assert.match(
          searched.stdout,
          new RegExp(`\\| current \\| ${line} \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\|`),
        );
      }
      assert.match(searched.stdout, /Every variant gave the same totals, facet counts and orders/);
      const cold = await npm('bench:search', '--', ...common, '--cold');
      assert.match(cold.stdout, /cold: each search once, right after a write/);
      assert.match(cold.stdout, /\| current \| hostile \| [\d.]+ \|/);
      const layouts = await npm('bench:bitsets', '--', ...common, '--rounds', '1');
      assert.match(layouts.stdout, /\| facet counts \| roaring per value \| 20 \| [\d.]+ \|/);
      assert.match(layouts.stdout, /Every layout gave the same counts and match sets/);
      // After the search bench, which imports the set itself the first time and says so.
      const imported = await npm('bench:import', '--', ...common.slice(0, 6), '--runs', '1');
      assert.match(imported.stdout, new RegExp(`\\| ${engine} \\| 500 \\| 1 \\| [\\d.]+ \\| [\\d.]+ \\| [\\d,]+ \\|`));

      const loaded = await npm(
        'bench:http',
        '--',
        ...common,
        '--duration',
        '2',
        '--port',
        engine === 'pglite' ? '3997' : '3998',
      );
      for (const target of ['results page /actions', 'API /api/v1/actions']) {
        const row = loaded.stdout.split('\n').find((line) => line.startsWith(`| ${target} |`));
        assert.ok(row, `pas de ligne pour ${target} :\n${loaded.stdout}`);
        const cells = row.split('|').map((c) => c.trim());
        assert.ok(Number(cells[2]) > 0, `aucune requête par seconde : ${row}`);
        assert.equal(cells.at(-2), '0', `des requêtes ont échoué : ${row}`);
      }

      const exported = await npm('bench:export', '--', ...common.slice(0, 6), '--runs', '1', '--formats', 'csv,xlsx');
      for (const format of ['csv', 'xlsx']) {
        assert.match(exported.stdout, new RegExp(`\\| ${format} \\| 500 \\| [\\d.]+ MB \\| [\\d.]+ s \\|`));
      }
    });
  }
});
