import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { inviteUser } from '../src/accounts/roles.service.js';
import { writeStorageLocation } from '../src/attachments/storage.repository.js';
import { type DbHandle, dropSchema, openDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { importDump } from '../src/legacy-dump/import.service.js';
import { createMailer } from '../src/mail/mailer.js';
import { seedReferenceData } from '../src/vocabularies/vocabularies.service.js';
import { linkFromOutbox, TEST_PASSWORD } from './helpers/agent.js';
import { newSchemaName, SEED } from './helpers/databases.js';
import { samplePdf } from './helpers/files.js';
import { startNginx, type TestNginx } from './helpers/nginx.js';
import { essaim, freePort, startServer, stop, tempDir } from './helpers/processes.js';
import { startS3, type TestS3 } from './helpers/s3.js';
import { startSmtp, type TestSmtp } from './helpers/smtp.js';
import { missing } from './helpers/tools.js';
import { WebVisitor } from './helpers/web-visitor.js';

const url = process.env.TEST_DATABASE_URL;
const plain = (text: string) => text.replaceAll('\u00a0', ' ');
type Instance = Awaited<ReturnType<typeof startServer>>;

describe('two instances on one PostgreSQL behind nginx', {
  skip: url ? missing('nginx') : 'TEST_DATABASE_URL is not set: several processes need PostgreSQL',
}, () => {
  const schema = newSchemaName();
  let handle: DbHandle;
  let work: { dir: string; remove: () => Promise<void> };
  let s3: TestS3;
  let smtp: TestSmtp;
  let nginx: TestNginx;
  let ports: [number, number];
  const instances: Instance[] = [];
  let structure: { id: number; departement_code: string };
  let env: (which: 0 | 1) => NodeJS.ProcessEnv;

  const start = async (which: 0 | 1) => {
    instances[which] = await startServer(env(which), { viaNpm: false });
  };

  before(async () => {
    work = await tempDir('cluster');
    [s3, smtp] = await Promise.all([startS3(), startSmtp()]);
    handle = await openDatabase({ databaseUrl: url as string, schema });
    await migrateToLatest(handle.db);
    await seedReferenceData(handle.db);
    await importDump(handle.db, SEED);
    await writeStorageLocation(handle.db, 's3');
    structure = await handle.db
      .selectFrom('structures')
      .select(['id', 'departement_code'])
      .where('departement_code', '=', '88')
      .executeTakeFirstOrThrow();
    // The Vosges fiches were last edited over a year ago: the reminders job has them to ask about.
    await sql`update actions set updated_at = now() - interval '13 months' where structure_id = ${structure.id}`.execute(
      handle.db,
    );
    const outbox = createMailer(
      { smtpUrl: undefined, dataDir: work.dir, mailFrom: 'essaim@test.invalid' },
      { info: () => {} },
    );
    const publicUrl = 'http://essaim.test';
    await inviteUser(handle.db, outbox, publicUrl, null, {
      email: 'animatrice@vosges.test',
      structureIds: [structure.id],
    });
    await inviteUser(handle.db, outbox, publicUrl, null, { email: 'conseiller@caf88.test', departementCodes: ['88'] });

    const database = new URL(url as string);
    database.searchParams.set('options', `-c search_path=${schema},public`);
    const proxyPort = await freePort();
    ports = [await freePort(), await freePort()];
    env = (which) => ({
      DATABASE_URL: database.toString(),
      PORT: String(ports[which]),
      HOST: '127.0.0.1',
      DATA_DIR: path.join(work.dir, `instance-${which}`),
      SEED_FILE: '',
      PUBLIC_URL: `http://127.0.0.1:${proxyPort}`,
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      TRUST_PROXY: '1',
      // One client address for the whole test: the search limit would count the load test.
      SEARCHES_PER_MINUTE: '0',
      // A loaded CI machine lags for reasons of its own; the rolling restart is what is tested.
      MAX_EVENT_LOOP_DELAY_MS: '0',
      ...s3.env,
    });
    await Promise.all([start(0), start(1)]);
    nginx = await startNginx(proxyPort, ports);
  });

  after(async () => {
    await Promise.all(instances.map((instance) => instance && stop(instance)));
    await nginx?.close();
    await Promise.all([s3?.close(), smtp?.close()]);
    await handle?.close();
    if (url) await dropSchema(url, schema);
    await work?.remove();
  });

  /** The process that answered a request, from nginx's log. */
  const served = async (requestId: string) => (await nginx.servedBy(requestId)).at(-1);

  async function signedIn(email: string, name: string): Promise<WebVisitor> {
    const visitor = new WebVisitor(nginx.base);
    const link = await linkFromOutbox(work.dir, email, '/invitation/');
    const form = await visitor.get(link);
    assert.equal(form.status, 200);
    const done = await visitor.post(link, { name, password: TEST_PASSWORD, confirmation: TEST_PASSWORD });
    assert.equal(done.status, 303, done.body);
    // The form came from one process and its CSRF token was checked by the other.
    assert.notEqual(await served(form.requestId), await served(done.requestId));
    return visitor;
  }

  test('a journey through the proxy: forms, files, publication and search across both processes', async () => {
    const editor = await signedIn('animatrice@vosges.test', 'Animatrice');
    const reviewer = await signedIn('conseiller@caf88.test', 'Conseiller');

    // Signing in again: the login form from one process, the password checked by the other.
    const again = new WebVisitor(nginx.base);
    const loginForm = await again.get('/connexion');
    const loggedIn = await again.post('/connexion', { email: 'animatrice@vosges.test', password: TEST_PASSWORD });
    assert.equal(loggedIn.status, 303, loggedIn.body);
    assert.notEqual(await served(loginForm.requestId), await served(loggedIn.requestId));
    assert.match((await again.get('/espace')).body, /Animatrice/);

    // Both processes answer the search once before the writes, their indexes built.
    for (let round = 0; round < 2; round++) {
      assert.equal(JSON.parse((await editor.get('/api/v1/actions?q=escalade')).body).total, 0);
    }
    // An alert saved on one process before the publication: the alerts job reports the fiche.
    await editor.get('/alertes/nouvelle?q=escalade');
    assert.equal((await editor.post('/alertes', { q: 'escalade', frequency: 'daily' })).status, 200);
    assert.equal((await handle.db.selectFrom('saved_searches').select('id').execute()).length, 1);

    await editor.get('/espace/fiches/nouvelle');
    const created = await editor.post('/espace/fiches', {
      title: 'Escalade en famille au gymnase',
      dimension: 'services',
      structure: String(structure.id),
      summary: 'Des séances d’escalade parents-enfants le samedi matin, avec un moniteur diplômé.',
      version: '0',
      intent: 'save',
    });
    assert.equal(created.status, 303, created.body);
    const ficheId = Number(/\/espace\/fiches\/(\d+)/.exec(String(created.location))?.[1]);

    const pdf = samplePdf('Planning des séances d’escalade');
    await editor.get(`/espace/fiches/${ficheId}/fichiers`);
    const uploaded = await editor.upload(`/espace/fiches/${ficheId}/fichiers`, [
      { name: 'planning.pdf', content: pdf },
    ]);
    assert.equal(uploaded.status, 303, uploaded.body);
    const file = await handle.db
      .selectFrom('attachments')
      .select('id')
      .where('action_id', '=', ficheId)
      .executeTakeFirstOrThrow();
    const downloads = [
      await editor.download(`/fichiers/${file.id}/planning.pdf`),
      await editor.download(`/fichiers/${file.id}/planning.pdf`),
    ];
    for (const download of downloads) assert.deepEqual(download.bytes, pdf);
    assert.deepEqual(
      new Set([await served(uploaded.requestId), ...(await Promise.all(downloads.map((d) => served(d.requestId))))]),
      new Set(ports),
      'uploaded on one process, downloaded from both',
    );

    const workspace = await editor.get(`/espace/fiches/${ficheId}`);
    const version = /name="version" value="(\d+)"/.exec(workspace.body)?.[1] ?? '';
    assert.equal((await editor.post(`/espace/fiches/${ficheId}/soumettre`, { version })).status, 303);
    await reviewer.get(`/espace/fiches/${ficheId}/publier`);
    const published = await reviewer.post(`/espace/fiches/${ficheId}/publier`, {});
    assert.equal(published.status, 303, published.body);

    // The next search on each process finds it, facet counts included.
    const searchedOn = new Set<number | undefined>();
    for (let round = 0; round < 2; round++) {
      const found = await reviewer.get('/api/v1/actions?q=escalade');
      const body = JSON.parse(found.body);
      assert.equal(body.total, 1, `search ${round}`);
      assert.equal(body.items[0].id, ficheId);
      assert.deepEqual(
        body.facets.department.map((value: { code: string; count: number }) => [value.code, value.count]),
        [['88', 1]],
      );
      searchedOn.add(await served(found.requestId));
    }
    assert.equal(searchedOn.size, 2, 'both processes were asked');
  });

  test('ten wrong passwords spread over both processes lock the account on both', async () => {
    const visitor = new WebVisitor(nginx.base);
    const seen = new Set<number | undefined>();
    // One form, then the posts alone: round robin sends them to each process in turn.
    await visitor.get('/connexion');
    for (let attempt = 0; attempt < 10; attempt++) {
      const wrong = await visitor.post('/connexion', {
        email: 'conseiller@caf88.test',
        password: `pas le bon ${attempt}`,
      });
      assert.equal(wrong.status, 401, `attempt ${attempt}`);
      seen.add(await served(wrong.requestId));
    }
    assert.equal(seen.size, 2, 'the attempts went to both processes');
    for (let attempt = 0; attempt < 2; attempt++) {
      const locked = await visitor.post('/connexion', { email: 'conseiller@caf88.test', password: TEST_PASSWORD });
      assert.equal(locked.status, 429, 'even the right password waits');
      assert.match(plain(locked.body), /Trop de tentatives/);
    }
  });

  test('alerts and reminders run on both at the same second send each e-mail once', async () => {
    const sentBefore = smtp.inbox.length;
    const runs = await Promise.all(
      [0, 1, 0, 1].map((which, index) =>
        essaim(index < 2 ? ['alerts', 'send'] : ['reminders', 'send'], { ...env(which as 0 | 1), LOG_LEVEL: 'warn' }),
      ),
    );
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    const received = smtp.inbox.slice(sentBefore);
    const toEditor = received.filter((m) => m.to === 'animatrice@vosges.test');
    assert.equal(toEditor.filter((m) => /escalade/.test(m.text)).length, 1, 'one alert, not one per run');
    assert.equal(
      toEditor.filter((m) => /Toujours d’actualité/.test(m.text)).length,
      1,
      'one reminder, not one per run',
    );
    assert.equal(received.length, 2, received.map((m) => m.subject).join(' | '));
  });

  test('a rolling restart of both processes under load loses no request', async () => {
    const paths = ['/actions?q=seniors', '/api/v1/actions?q=jardin', '/', '/api/v1/actions?department=88', '/healthz'];
    let stopped = false;
    const failures: string[] = [];
    let done = 0;
    const client = async (worker: number) => {
      for (let n = worker; !stopped || done < 2000; n++) {
        const path = paths[n % paths.length];
        try {
          const response = await fetch(`${nginx.base}${path}`);
          await response.arrayBuffer();
          if (response.status !== 200) failures.push(`${path}: ${response.status}`);
        } catch (error) {
          failures.push(`${path}: ${(error as Error).message}`);
        }
        done++;
      }
    };
    const load = Promise.all(Array.from({ length: 6 }, (_, worker) => client(worker)));
    for (const which of [0, 1] as const) {
      await sleep(500);
      assert.equal(await stop(instances[which]), 0, 'the process ended its requests and stopped cleanly');
      assert.match(instances[which].output(), /Essaim est arrêté/);
      await start(which);
      // nginx leaves a refused process aside for 5 s, counted in whole seconds, before it tries
      // it again: the next one stops only once nginx has sent the restarted one a request.
      await nginx.takesBack(ports[which]);
    }
    stopped = true;
    await load;
    assert.ok(done >= 2000, `${done} requests`);
    assert.deepEqual(failures, [], `${failures.length} failed of ${done}; nginx:\n${await nginx.errors()}`);
  });
});
