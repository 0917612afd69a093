import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { buildApp } from '../src/app.js';
import { importDump } from '../src/legacy-dump/import.service.js';
import { liveIndexOf } from '../src/search/index/index.service.js';
import { Agent } from './helpers/agent.js';
import {
  type openTestDatabase as OpenTestDatabase,
  openTestDatabase,
  SEED,
  testAppConfig,
  testEngines,
} from './helpers/databases.js';
import { missing, TOOLS } from './helpers/tools.js';

const TOKEN = 'jeton-des-metriques-0123456789abcdef';

type Sample = { labels?: Record<string, string>; value?: string; count?: string };
type Family = { name: string; type: string; metrics: Sample[] };

for (const engine of testEngines()) {
  describe(`operations: health, readiness, metrics, request ids (${engine})`, () => {
    let handle: Awaited<ReturnType<typeof OpenTestDatabase>>;
    let app: Awaited<ReturnType<typeof buildApp>>;
    const logs: string[] = [];

    before(async () => {
      handle = await openTestDatabase(engine);
      await importDump(handle.db, SEED);
      const logStream = new Writable({
        write(chunk, _encoding, done) {
          logs.push(String(chunk));
          done();
        },
      });
      app = await buildApp(
        handle.db,
        { ...testAppConfig({ METRICS_TOKEN: TOKEN }), logLevel: 'info' },
        { logStream, poolStats: handle.poolStats },
      );
    });
    after(async () => {
      await app?.close();
      await handle?.close();
    });

    test('/readyz says not ready while the search index is built, then ready; /healthz answers all along', async () => {
      const agent = new Agent(app);
      assert.equal((await agent.get('/healthz')).statusCode, 200);
      const building = await agent.get('/readyz');
      assert.equal(building.statusCode, 503);
      assert.deepEqual(building.json().checks, { database: 'ok', migrations: 'ok', searchIndex: 'building' });
      assert.equal(building.json().message, 'L’index de recherche est en construction.');
      await liveIndexOf(handle.db).warm();
      const ready = await agent.get('/readyz');
      assert.equal(ready.statusCode, 200);
      assert.equal(ready.json().status, 'ready');
      assert.equal(ready.headers['cache-control'], 'no-store');
    });

    test('/metrics is refused without its token, and is Prometheus text with it', async () => {
      const reader = new Agent(app);
      assert.equal((await reader.get('/actions?q=seniors')).statusCode, 200);
      assert.equal((await reader.get('/api/v1/actions?q=numerique')).statusCode, 200);
      for (const authorization of [undefined, 'Bearer mauvais-jeton', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
        const refused = await app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
        assert.equal(refused.statusCode, 401, String(authorization));
        assert.ok(!refused.body.includes('essaim_http_requests_total'));
      }
      const scraped = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(scraped.statusCode, 200);
      assert.match(String(scraped.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      const families: Family[] = parsePrometheusTextFormat(scraped.body);
      const family = (name: string) => families.find((f) => f.name === name) as Family;
      const requests = family('essaim_http_requests_total');
      assert.equal(requests.type, 'COUNTER');
      assert.ok(
        requests.metrics.some(
          (m) => m.labels?.route === '/actions' && m.labels.status === '200' && Number(m.value) >= 1,
        ),
      );
      assert.equal(family('essaim_search_duration_seconds').type, 'HISTOGRAM');
      assert.ok(Number(family('essaim_search_duration_seconds').metrics[0].count) >= 2);
      assert.equal(family('essaim_search_index_lag').metrics[0].value, '0');
      assert.ok(family('essaim_nodejs_eventloop_lag_seconds'), 'event-loop delay');
      const pool = family('essaim_db_pool_connections');
      if (engine === 'postgres') {
        assert.ok(Number(pool.metrics.find((m) => m.labels?.state === 'total')?.value) >= 1, 'PostgreSQL pool');
      } else assert.equal(pool, undefined, 'PGlite has no pool');
    });

    test('promtool, Prometheus’s own checker, reads /metrics without a problem', {
      skip: missing('promtool'),
    }, async () => {
      const scraped = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
      const checked = spawnSync(TOOLS.promtool.path, ['check', 'metrics'], { input: scraped.body, encoding: 'utf8' });
      const said = `${checked.stdout}${checked.stderr}`;
      assert.doesNotMatch(said, /error while linting|parse/i, 'the text parses');
      // Lint remarks are allowed only on prom-client's own process gauges, named before the rule.
      const remarks = said.split('\n').filter((line) => line.trim() !== '');
      const ours = remarks.filter((line) => !/^essaim_nodejs_active_(handles|requests|resources)_total /.test(line));
      assert.deepEqual(ours, []);
    });

    test('the proxy’s X-Request-Id names the request in the answer and the logs; a forged one is replaced', async () => {
      const named = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'nginx-7f3a9c.42' } });
      assert.equal(named.headers['x-request-id'], 'nginx-7f3a9c.42');
      assert.ok(logs.some((line) => JSON.parse(line).reqId === 'nginx-7f3a9c.42'));
      const forged = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'a"}\n{"admin":true' } });
      assert.match(String(forged.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    });
  });
}

describe('/metrics without METRICS_TOKEN', () => {
  test('does not exist', async () => {
    const handle = await openTestDatabase('pglite');
    const app = await buildApp(handle.db, testAppConfig());
    try {
      assert.equal((await app.inject({ url: '/metrics' })).statusCode, 404);
    } finally {
      await app.close();
      await handle.close();
    }
  });
});
