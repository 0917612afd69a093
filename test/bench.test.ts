import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import { generatedDump } from '../bench/lib/dump-file.js';
import { testEngines } from './helpers/databases.js';
import { ROOT, tempDir } from './helpers/processes.js';

const run = promisify(execFile);

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
      assert.match(layouts.stdout, /\| facet counts \| index \([^|]*roaring bitmaps\) \| 20 \| [\d.]+ \|/);
      assert.match(layouts.stdout, /\| facet counts \| roaring per value, match already roaring \| 20 \| [\d.]+ \|/);
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
