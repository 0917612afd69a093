// What a hostile client found, each kept as a test: open redirects, raced rate limits, NUL bytes,
// framework errors in English, a reset form that tells known addresses by its time, tokens in
// logs, cached signed-in pages, forms posted from another site, weak passwords, HSTS over HTTP.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { inviteUser } from '../src/accounts/roles.service.js';
import { buildApp } from '../src/app.js';
import { createMailer } from '../src/mail/mailer.js';
import { Agent, TEST_PASSWORD } from './helpers/agent.js';
import { openSeededApp, testAppConfig, testEngines } from './helpers/databases.js';
import { startSmtp, type TestSmtp } from './helpers/smtp.js';

const quiet = { info: () => {} };
const SITE = 'http://essaim.test';

/** Sends a raw request to a listening server, as a client that bypasses every library would. */
function rawRequest(
  port: number,
  path: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path, headers: { accept: 'text/html' } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
  });
}

for (const engine of testEngines()) {
  describe(`a hostile client (${engine})`, () => {
    let seeded: Awaited<ReturnType<typeof openSeededApp>>;
    let app: FastifyInstance;
    let smtp: TestSmtp;
    let admin: Agent;

    before(async () => {
      smtp = await startSmtp();
      seeded = await openSeededApp(engine, { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, PUBLIC_URL: SITE });
      app = seeded.app;
      const mailer = createMailer(seeded.config, quiet);
      const structure = await seeded.handle.db
        .selectFrom('structures')
        .select('id')
        .orderBy('id')
        .executeTakeFirstOrThrow();
      await inviteUser(seeded.handle.db, mailer, SITE, null, { email: 'admin@essaim.test', isAdmin: true });
      for (const email of ['victime@essaim.test', 'nouvelle@essaim.test']) {
        await inviteUser(seeded.handle.db, mailer, SITE, null, { email, structureIds: [structure.id] });
      }
      await app.background.idle();
      admin = await acceptInvitationFromInbox('admin@essaim.test');
      await acceptInvitationFromInbox('victime@essaim.test');
    });
    after(async () => {
      await seeded.close();
      await smtp.close();
    });

    async function acceptInvitationFromInbox(email: string): Promise<Agent> {
      const message = smtp.inbox.filter((m) => m.to === email).at(-1);
      const link = /https?:\/\/[^\s/]+(\/invitation\/[\w-]+)/.exec(message?.text ?? '')?.[1];
      assert.ok(link, `invitation of ${email}`);
      const agent = new Agent(app);
      await agent.get(link);
      const done = await agent.post(link, { name: 'Testeur', password: TEST_PASSWORD, confirmation: TEST_PASSWORD });
      assert.equal(done.statusCode, 303, done.body);
      return agent;
    }

    test('the way back after login never leaves the site, whatever the control characters or slashes', async () => {
      const controls = [...Array(32).keys(), 0x7f].map((c) => String.fromCharCode(c));
      const tricks = [
        ...controls.map((c) => `/${c}/evil.example`),
        ...controls.map((c) => `${c}//evil.example`),
        '//evil.example',
        '/\\evil.example',
        '\\\\evil.example',
        '/\\/evil.example',
        'https://evil.example',
        '/%09/evil.example',
        '///evil.example',
        'javascript:alert(1)',
      ];
      for (const trick of tricks) {
        for (const response of [
          await admin.get(`/connexion?suite=${encodeURIComponent(trick)}`),
          await new Agent(app).post('/connexion', { email: 'x@y.fr', password: 'z', suite: trick }, { csrf: false }),
        ]) {
          assert.ok(response.statusCode < 500, `${JSON.stringify(trick)}: ${response.statusCode}`);
          const location = response.headers.location;
          if (location === undefined) continue;
          assert.equal(
            new URL(String(location), 'https://essaim.test').origin,
            'https://essaim.test',
            JSON.stringify(trick),
          );
          assert.match(String(location), /^\/(?![/\\])/, JSON.stringify(trick));
        }
      }
      assert.equal((await admin.get('/connexion?suite=%2Fespace%2Ffiches')).headers.location, '/espace/fiches');
    });

    test('30 simultaneous wrong passwords on one account: 10 checked, 20 refused, the right one waits', async () => {
      const agents = await Promise.all(
        Array.from({ length: 30 }, async () => {
          const agent = new Agent(app);
          await agent.get('/connexion');
          return agent;
        }),
      );
      const statuses = await Promise.all(
        agents.map((agent) => agent.post('/connexion', { email: 'victime@essaim.test', password: 'pas le bon mot' })),
      ).then((responses) => responses.map((r) => r.statusCode).sort());
      assert.deepEqual(statuses, [...Array(10).fill(401), ...Array(20).fill(429)]);
      const right = new Agent(app);
      await right.get('/connexion');
      assert.equal(
        (await right.post('/connexion', { email: 'victime@essaim.test', password: TEST_PASSWORD })).statusCode,
        429,
      );
    });

    test('a NUL character is refused with a French 400 naming the field, everywhere input enters', async () => {
      const api = await app.inject({ method: 'GET', url: '/api/v1/structures?q=%00' });
      assert.equal(api.statusCode, 400);
      assert.equal(api.json().field, 'q');
      assert.match(api.json().message, /caractère nul/);
      for (const [url, fields, field] of [
        ['/connexion', { email: 'a\u0000@b.fr', password: 'x' }, 'email'],
        ['/mot-de-passe-oublie', { email: 'a\u0000@b.fr' }, 'email'],
        ['/alertes', { email: 'a\u0000@b.fr', frequency: 'weekly', q: 'jardin' }, 'email'],
        ['/alertes', { email: 'a@b.fr', frequency: 'weekly', q: 'jar\u0000din' }, 'q'],
      ] as const) {
        const agent = new Agent(app);
        await agent.get('/connexion');
        const response = await agent.post(url, fields);
        assert.equal(response.statusCode, 400, `${url} ${field}`);
        assert.match(response.body, new RegExp(`Le champ «\u00a0${field}\u00a0» contient un caractère nul`), url);
      }
      await admin.get('/espace/fiches/nouvelle');
      const form = await admin.post('/espace/fiches', { title: 'Atelier\u0000cuisine', summary: 'Un atelier.' });
      assert.equal(form.statusCode, 400);
      assert.match(form.body, /Le champ «\u00a0title\u00a0» contient un caractère nul/);
      const path = await app.inject({ method: 'GET', url: '/actions/1-%00' });
      assert.ok(path.statusCode === 400 || path.statusCode === 404, `path: ${path.statusCode}`);
    });

    test('framework errors are French, as a page or as JSON, with the security headers', async () => {
      const page = await app.inject({ method: 'GET', url: '/actions/%FF' });
      assert.equal(page.statusCode, 400);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.match(page.body, /La requête est mal formée/);
      assert.equal(page.headers['x-content-type-options'], 'nosniff');
      assert.ok(page.headers['content-security-policy']);
      const api = await app.inject({ method: 'GET', url: '/api/v1/actions/%FF' });
      assert.equal(api.statusCode, 400);
      assert.match(api.json().message, /La requête est mal formée/);
      const big = await app.inject({
        method: 'POST',
        url: '/connexion',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `email=${'a'.repeat(2 * 1024 * 1024)}`,
      });
      assert.equal(big.statusCode, 413);
      assert.match(big.body, /trop volumineux/);

      // Node itself answers an address over its header limit: through a real socket.
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      const longQuery = await rawRequest(port, `/actions?q=${'a'.repeat(1024 * 1024)}`);
      const manyParameters = await rawRequest(
        port,
        `/api/v1/actions?${Array.from({ length: 10_000 }, (_, i) => `p${i}=1`).join('&')}`,
      );
      for (const response of [longQuery, manyParameters]) {
        assert.equal(response.status, 431);
        assert.match(response.body, /La requête est trop grande/);
        assert.equal(response.headers['x-content-type-options'], 'nosniff');
      }
      assert.match(String(longQuery.headers['content-type']), /^text\/html/);
      assert.match(String(manyParameters.headers['content-type']), /^application\/json/);
    });

    test('the reset form answers before any e-mail work, the same for a known and an unknown address', async () => {
      const agent = new Agent(app);
      await agent.get('/mot-de-passe-oublie');
      const before = smtp.inbox.length;
      smtp.hold();
      try {
        const known = await agent.post('/mot-de-passe-oublie', { email: 'admin@essaim.test' });
        const unknown = await agent.post('/mot-de-passe-oublie', { email: 'personne@essaim.test' });
        // The mail server holds every message: an answer that waited for the e-mail never came.
        assert.equal(smtp.inbox.length, before);
        assert.deepEqual([known.statusCode, unknown.statusCode], [200, 200]);
        const notice = (body: string) => /<div role="status" class="notice">([\s\S]*?)<\/div>/.exec(body)?.[1];
        assert.equal(notice(known.body), notice(unknown.body));
      } finally {
        smtp.release();
      }
      await app.background.idle();
      assert.deepEqual(
        smtp.inbox.slice(before).map((m) => m.to),
        ['admin@essaim.test'],
      );
    });

    test('signed-in pages are never cached; public ones may be', async () => {
      assert.equal((await admin.get('/espace')).headers['cache-control'], 'no-store');
      assert.equal((await admin.get('/actions')).headers['cache-control'], 'no-store');
      assert.notEqual((await new Agent(app).get('/actions')).headers['cache-control'], 'no-store');
    });

    test('a form posted from another site is refused, and login gives the forms a new CSRF secret', async () => {
      const foreign: Array<Record<string, string>> = [
        { origin: 'https://evil.example' },
        { 'sec-fetch-site': 'cross-site' },
      ];
      for (const headers of foreign) {
        const agent = new Agent(app, headers);
        await agent.get('/connexion');
        const response = await agent.post('/connexion', { email: 'victime@essaim.test', password: 'x' });
        assert.equal(response.statusCode, 403, JSON.stringify(headers));
        assert.match(response.body, /ne vient pas de ce site/);
      }
      // What Chromium sends for the site's own form (the pages ask for no referrer).
      const sameSite = new Agent(app, { origin: 'null', 'sec-fetch-site': 'same-origin' });
      await sameSite.get('/connexion');
      assert.equal((await sameSite.post('/connexion', { email: 'nobody@essaim.test', password: 'x' })).statusCode, 401);

      const agent = new Agent(app);
      await agent.get('/connexion');
      const before = agent.cookies.get('essaim_csrf');
      const login = await agent.post('/connexion', { email: 'admin@essaim.test', password: TEST_PASSWORD });
      assert.equal(login.statusCode, 303);
      assert.equal(agent.cookies.has('essaim_csrf'), false, 'the secret of the visitor is dropped');
      await agent.get('/espace');
      assert.notEqual(agent.cookies.get('essaim_csrf'), before);
    });

    test('a common password is refused with French advice; a passphrase is taken', async () => {
      const message = smtp.inbox.filter((m) => m.to === 'nouvelle@essaim.test').at(-1);
      const link = /https?:\/\/[^\s/]+(\/invitation\/[\w-]+)/.exec(message?.text ?? '')?.[1] as string;
      const agent = new Agent(app);
      await agent.get(link);
      for (const weak of ['motdepasse123', 'azertyuiop1234', '123456789012', 'nouvelle@essaim.test']) {
        const refused = await agent.post(link, { name: 'Nouvelle', password: weak, confirmation: weak });
        assert.equal(refused.statusCode, 400, weak);
        assert.match(refused.body, /Ce mot de passe est trop facile à deviner/, weak);
      }
      const done = await agent.post(link, { name: 'Nouvelle', password: TEST_PASSWORD, confirmation: TEST_PASSWORD });
      assert.equal(done.statusCode, 303);
    });

    test('HSTS only over HTTPS', async () => {
      assert.equal((await app.inject({ method: 'GET', url: '/' })).headers['strict-transport-security'], undefined);
      const config = testAppConfig({ TRUST_PROXY: 'true' });
      const proxied = await buildApp(seeded.handle.db, config);
      try {
        const response = await proxied.inject({ method: 'GET', url: '/', headers: { 'x-forwarded-proto': 'https' } });
        assert.match(String(response.headers['strict-transport-security']), /max-age=\d+/);
      } finally {
        await proxied.close();
      }
    });

    test('the tokens of single-use links never reach the logs', async () => {
      const lines: string[] = [];
      const stream = new PassThrough();
      stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
      const config = testAppConfig({ LOG_LEVEL: 'info' });
      const logged = await buildApp(seeded.handle.db, config, { logStream: stream });
      try {
        const token = 'Zq3vT9-secret-token-of-a-reset-link-0123456789';
        for (const url of [
          `/mot-de-passe/${token}`,
          `/invitation/${token}`,
          `/alertes/desabonner/${token}`,
          `/alertes/confirmer/${token}`,
        ]) {
          await logged.inject({ method: 'GET', url });
        }
      } finally {
        await logged.close();
      }
      assert.ok(
        lines.some((l) => l.includes('/mot-de-passe/[lien]')),
        'the route is logged',
      );
      assert.deepEqual(
        lines.filter((l) => l.includes('secret-token')),
        [],
      );
    });
  });
}
