import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { type DbHandle, dropSchema, openDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { importDump } from '../src/legacy-dump/import.service.js';
import { liveIndexOf } from '../src/search/index/index.service.js';
import { seedReferenceData } from '../src/vocabularies/vocabularies.service.js';
import { Agent } from './helpers/agent.js';
import {
  newSchemaName,
  openSeededApp,
  openTestDatabase,
  SEED,
  testAppConfig,
  testEngines,
} from './helpers/databases.js';

const url = process.env.TEST_DATABASE_URL;
const TIMEOUT_MS = 400;
const plain = (html: string) => html.replaceAll('\u00a0', ' ');

describe('a statement past the statement timeout (PostgreSQL)', { skip: !url && 'needs TEST_DATABASE_URL' }, () => {
  const schema = newSchemaName();
  let setup: DbHandle;
  let web: DbHandle;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let blocker: pg.Client;

  before(async () => {
    setup = await openDatabase({ databaseUrl: url, schema });
    await migrateToLatest(setup.db);
    await seedReferenceData(setup.db);
    await importDump(setup.db, SEED);
    // The web process's pool, as `webDatabase` opens it: every statement stops after TIMEOUT_MS.
    web = await openDatabase({ databaseUrl: url, schema, statementTimeoutMs: TIMEOUT_MS });
    app = await buildApp(web.db, testAppConfig());
    await liveIndexOf(web.db).warm();
    blocker = new pg.Client({ connectionString: url, options: `-c search_path=${schema},public` });
    await blocker.connect();
  });
  after(async () => {
    await blocker?.end();
    await app?.close();
    await web?.close();
    await setup?.close();
    if (url) await dropSchema(url, schema);
  });

  test('answers a French 503 page, and the server answers other requests meanwhile', async () => {
    const reader = new Agent(app);
    const fiche = (await reader.get('/api/v1/actions?perPage=1')).json().items[0];
    // A long write elsewhere holds the search state: every search waits for it, past the timeout.
    await blocker.query('begin');
    await blocker.query('lock table search_state in access exclusive mode');
    try {
      let settled = false;
      const slow = reader.get('/actions?q=seniors').finally(() => {
        settled = true;
      });
      const others = await Promise.all([reader.get('/healthz'), reader.get(`/api/v1/actions/${fiche.id}`)]);
      assert.deepEqual(
        others.map((o) => o.statusCode),
        [200, 200],
      );
      assert.equal(settled, false, 'the others were answered while the search waited');
      const answer = await slow;
      assert.equal(answer.statusCode, 503);
      assert.match(answer.headers['content-type'] as string, /^text\/html/);
      assert.match(plain(answer.body), /Cette demande a pris trop de temps et a été interrompue/);
      const api = await reader.get('/api/v1/actions?q=seniors');
      assert.equal(api.statusCode, 503);
      assert.equal(api.json().code, 'query_timeout');
    } finally {
      await blocker.query('rollback');
    }
    assert.equal((await reader.get('/actions?q=seniors')).statusCode, 200, 'once the write is over');
  });
});

for (const engine of testEngines()) {
  describe(`bounded cost per client: rate limits and concurrent exports (${engine})`, () => {
    let seeded: Awaited<ReturnType<typeof openSeededApp>>;
    before(async () => {
      // A low limit, so that reaching it takes a moment; the default is the README's.
      seeded = await openSeededApp(engine, { TRUST_PROXY: 'true', SEARCHES_PER_MINUTE: '40' });
    });
    after(() => seeded?.close());
    const from = (ip: string) => new Agent(seeded.app, { 'x-forwarded-for': ip });

    test('the searches a minute allowed from one address, then a French 429 with Retry-After; others go on', async () => {
      const busy = from('198.51.100.1');
      for (let i = 0; i < seeded.config.rateLimits.search; i++) {
        const answer = await busy.get(`/api/v1/actions?perPage=1&page=${(i % 3) + 1}`);
        assert.equal(answer.statusCode, 200, `search ${i + 1}`);
      }
      const refused = await busy.get('/api/v1/actions?perPage=1');
      assert.equal(refused.statusCode, 429);
      assert.ok(Number(refused.headers['retry-after']) > 0);
      assert.equal(refused.json().code, 'too_many_requests');
      assert.match(
        plain(refused.json().message),
        /^Trop de recherches depuis votre adresse en une minute : réessayez dans \d+ secondes\.$/,
      );
      const page = await busy.get('/actions?q=seniors');
      assert.equal(page.statusCode, 429);
      assert.match(page.headers['content-type'] as string, /^text\/html/);
      assert.match(plain(page.body), /Trop de recherches depuis votre adresse/);
      assert.equal((await from('198.51.100.2').get('/actions?q=seniors')).statusCode, 200, 'another reader');
      assert.equal((await busy.get('/mentions-legales')).statusCode, 200, 'the other pages');
    });

    test('a third export at once from one address, or a seventh on the site, waits its turn, in French', async () => {
      const gate = seeded.app.exportGate;
      const leaveA = gate.enter('203.0.113.5');
      const leaveB = gate.enter('203.0.113.5');
      const reader = from('203.0.113.5');
      const third = await reader.get('/actions/export?format=csv&q=seniors');
      assert.equal(third.statusCode, 429, third.body.slice(-1500));
      assert.match(plain(third.body), /Vous avez déjà 2 exports en cours/);
      assert.equal((await from('203.0.113.6').get('/actions/export?format=csv&q=seniors')).statusCode, 200);
      leaveA();
      assert.equal((await reader.get('/actions/export?format=csv&q=seniors')).statusCode, 200, 'after one ended');
      leaveB();
      const others = Array.from({ length: gate.overall }, (_, i) => gate.enter(`192.0.2.${i}`));
      const full = await from('203.0.113.7').get('/api/v1/actions/export?format=ndjson');
      assert.equal(full.statusCode, 503);
      assert.match(plain(full.json().message), /Trop d’exports sont en cours sur le site/);
      for (const leave of others) leave();
      assert.equal((await from('203.0.113.7').get('/api/v1/actions/export?format=ndjson')).statusCode, 200);
    });
  });
}

describe('an event loop that lags behind', () => {
  test('answers a French 503 page rather than queue more, keeps /healthz, and recovers', async () => {
    const handle = await openTestDatabase('pglite');
    const app = await buildApp(handle.db, testAppConfig({ MAX_EVENT_LOOP_DELAY_MS: '100' }));
    try {
      await app.ready();
      const stalled = Date.now();
      while (Date.now() - stalled < 1500) {
        // A handler that computes for 1.5 s without yielding, as a runaway request would.
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      const refused = await app.inject({ url: '/mentions-legales' });
      assert.equal(refused.statusCode, 503);
      assert.equal(refused.headers['retry-after'], '10');
      assert.match(plain(refused.body), /Le site est très chargé en ce moment : réessayez dans quelques secondes\./);
      assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
      let status = 503;
      for (let i = 0; i < 40 && status === 503; i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        status = (await app.inject({ url: '/mentions-legales' })).statusCode;
      }
      assert.equal(status, 200);
    } finally {
      await app.close();
      await handle.close();
    }
  });
});
