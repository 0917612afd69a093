import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { inviteUser } from '../src/accounts/roles.service.js';
import { buildApp } from '../src/app.js';
import { can, type SessionUser } from '../src/authorization/authorization.js';
import type { Config } from '../src/config.js';
import type { DbHandle } from '../src/db/connect.js';
import { importDump } from '../src/legacy-dump/import.service.js';
import { createMailer } from '../src/mail/mailer.js';
import { Agent, acceptInvitation, linkFromOutbox, readOutbox, TEST_PASSWORD } from './helpers/agent.js';
import { openTestDatabase, SEED, testAppConfig, testEngines } from './helpers/databases.js';

const PASSWORD = TEST_PASSWORD;
const quiet = { info: () => {} };

describe('can(): the rules of the roles', () => {
  const editor: SessionUser = {
    id: 1,
    email: 'e@x.fr',
    name: '',
    isAdmin: false,
    structureIds: [7],
    departementCodes: [],
  };
  const reviewer: SessionUser = {
    id: 2,
    email: 'r@x.fr',
    name: '',
    isAdmin: false,
    structureIds: [],
    departementCodes: ['13'],
  };
  const mine = { structureId: 7, departementCode: '13' };
  const other = { structureId: 8, departementCode: '75' };

  test('an editor writes the fiches of their structures only, and publishes none', () => {
    assert.equal(can(editor, 'fiche:write', mine), true);
    assert.equal(can(editor, 'fiche:write', other), false);
    assert.equal(can(editor, 'fiche:review', mine), false);
    assert.equal(can(null, 'fiche:read', mine), false);
  });

  test('a reviewer reviews in their départements only, and cannot raise anyone to reviewer or admin', () => {
    assert.equal(can(reviewer, 'fiche:review', mine), true);
    assert.equal(can(reviewer, 'fiche:review', other), false);
    assert.equal(can(reviewer, 'fiche:write', mine), false);
    const editorRole = { isAdmin: false, structures: [mine], departementCodes: [] };
    assert.equal(can(reviewer, 'user:grant', { targetUserId: null, roles: editorRole }), true);
    assert.equal(can(reviewer, 'user:grant', { targetUserId: 2, roles: editorRole }), false, 'not themselves');
    assert.equal(
      can(reviewer, 'user:grant', { targetUserId: null, roles: { ...editorRole, structures: [other] } }),
      false,
    );
    assert.equal(can(reviewer, 'user:grant', { targetUserId: null, roles: { ...editorRole, isAdmin: true } }), false);
    assert.equal(can(reviewer, 'admin:manage', null), false);
  });
});

for (const engine of testEngines()) {
  describe(`accounts over HTTP (${engine})`, () => {
    let handle: DbHandle;
    let app: FastifyInstance;
    let config: Config;
    let structure: { id: number; departement_code: string };

    before(async () => {
      handle = await openTestDatabase(engine);
      await importDump(handle.db, SEED);
      config = testAppConfig({ PUBLIC_URL: 'https://essaim.test' });
      app = await buildApp(handle.db, config);
      structure = await handle.db
        .selectFrom('structures')
        .select(['id', 'departement_code'])
        .orderBy('id')
        .executeTakeFirstOrThrow();
      // What `essaim user create --role admin` does.
      await inviteUser(handle.db, createMailer(config, quiet), config.publicUrl, null, {
        email: 'Admin@Essaim.test',
        isAdmin: true,
      });
    });
    after(async () => {
      await app.close();
      await handle.close();
    });

    const activate = (email: string, name: string) => acceptInvitation(app, config.dataDir, email, name);

    test('an invitation link activates the account once, logs in, and the session cookie is HttpOnly and Lax', async () => {
      const agent = new Agent(app);
      const link = await linkFromOutbox(config.dataDir, 'admin@essaim.test', '/invitation/');
      const page = await agent.get(link);
      assert.match(page.body, /admin@essaim\.test/);
      const refused = await agent.post(link, { name: 'Ada', password: 'court', confirmation: 'court' });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /au moins 12 caractères/);
      const done = await agent.post(link, { name: 'Ada', password: PASSWORD, confirmation: PASSWORD });
      assert.equal(done.statusCode, 303);
      const cookie = [done.headers['set-cookie']].flat().find((c) => c?.startsWith('essaim_session='));
      assert.ok(cookie);
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Lax/);
      assert.doesNotMatch(cookie, /Secure/, 'plain HTTP without a proxy: no Secure flag');
      const home = await agent.get('/espace');
      assert.equal(home.statusCode, 200);
      assert.match(home.body, /Connecté en tant qu’<\/span><strong>Ada<\/strong>/);
      assert.match(home.body, /Administration du catalogue/);
      const again = await new Agent(app).get(link);
      assert.equal(again.statusCode, 410, 'a used link no longer works');
      assert.match(again.body, /Ce lien a expiré ou a déjà servi/);
    });

    test('the space needs a login; logging out ends the session on the server', async () => {
      const visitor = await new Agent(app).get('/espace');
      assert.equal(visitor.statusCode, 303);
      assert.equal(visitor.headers.location, '/connexion?suite=%2Fespace');
      const agent = new Agent(app);
      await agent.get('/connexion');
      const login = await agent.post('/connexion', {
        email: 'ADMIN@essaim.test ',
        password: PASSWORD,
        suite: '/espace/utilisateurs',
      });
      assert.equal(login.statusCode, 303);
      assert.equal(login.headers.location, '/espace/utilisateurs');
      const token = agent.cookies.get('essaim_session') as string;
      await agent.get('/espace');
      assert.equal((await agent.post('/deconnexion', {})).statusCode, 303);
      const replay = await app.inject({ url: '/espace', headers: { cookie: `essaim_session=${token}` } });
      assert.equal(replay.statusCode, 303, 'the old token opens nothing');
    });

    test('a login elsewhere than this site is never where a login leads', async () => {
      const agent = new Agent(app);
      await agent.get('/connexion');
      const login = await agent.post('/connexion', {
        email: 'admin@essaim.test',
        password: PASSWORD,
        suite: '//evil.example',
      });
      assert.equal(login.headers.location, '/espace');
    });

    test('a form without its CSRF token is refused with a French message, and logs nobody in', async () => {
      const agent = new Agent(app);
      await agent.get('/connexion');
      const response = await agent.post(
        '/connexion',
        { email: 'admin@essaim.test', password: PASSWORD },
        { csrf: false },
      );
      assert.equal(response.statusCode, 403);
      assert.match(response.body, /Ce formulaire a expiré ou ne vient pas de ce site/);
      assert.equal(agent.cookies.has('essaim_session'), false);
      const forged = await agent.post('/connexion', {
        email: 'admin@essaim.test',
        password: PASSWORD,
        _csrf: 'forged',
      });
      assert.equal(forged.statusCode, 403);
    });

    test('a wrong password and an unknown address get the same answer; 20 failures lock the account', async () => {
      await inviteUser(handle.db, createMailer(config, quiet), config.publicUrl, null, {
        email: 'victime@essaim.test',
        isAdmin: true,
      });
      await activate('victime@essaim.test', 'Victime');
      const agent = new Agent(app, { 'x-forwarded-for': '203.0.113.9' });
      await agent.get('/connexion');
      const unknown = await agent.post('/connexion', { email: 'personne@essaim.test', password: 'nimporte quoi' });
      const statuses: number[] = [];
      let last = unknown;
      for (let i = 0; i < 20; i++) {
        last = await agent.post('/connexion', { email: 'victime@essaim.test', password: `faux ${i}` });
        statuses.push(last.statusCode);
        if (i === 0) {
          assert.equal(last.statusCode, unknown.statusCode);
          const message = (body: string) => /<p class="field-error"[^>]*>([^<]*)</.exec(body)?.[1];
          assert.equal(message(last.body), message(unknown.body), 'nothing tells an account exists');
          assert.equal(message(last.body), 'Adresse e-mail ou mot de passe incorrect.');
        }
      }
      assert.deepEqual(statuses, [...Array(10).fill(401), ...Array(10).fill(429)]);
      assert.match(last.body, /Trop de tentatives de connexion ont échoué\. Par sécurité, réessayez dans 15 minutes/);
      const right = await agent.post('/connexion', { email: 'victime@essaim.test', password: PASSWORD });
      assert.equal(right.statusCode, 429, 'even the right password waits');
      assert.equal(agent.cookies.has('essaim_session'), false);
    });

    test('a reset link is sent only to an existing account, with the same answer; it serves once, expires, and unlocks the account', async () => {
      const before = (await readOutbox(config.dataDir)).length;
      const agent = new Agent(app);
      await agent.get('/mot-de-passe-oublie');
      const known = await agent.post('/mot-de-passe-oublie', { email: 'victime@essaim.test' });
      const unknown = await agent.post('/mot-de-passe-oublie', { email: 'inconnu@essaim.test' });
      await app.background.idle();
      assert.equal(known.statusCode, 200);
      assert.equal(unknown.statusCode, 200);
      const notice = (body: string) => /<div role="status" class="notice">([\s\S]*?)<\/div>/.exec(body)?.[1];
      assert.equal(notice(known.body), notice(unknown.body));
      assert.equal((await readOutbox(config.dataDir)).length, before + 1);
      const link = await linkFromOutbox(config.dataDir, 'victime@essaim.test', '/mot-de-passe/');
      assert.match(link, /^\/mot-de-passe\/[\w-]{43}$/);

      const mismatch = await agent.post(link, { password: PASSWORD, confirmation: 'autre chose encore' });
      assert.equal(mismatch.statusCode, 400);
      assert.match(mismatch.body, /Les deux mots de passe ne sont pas identiques/);
      const newPassword = 'un autre mot de passe solide';
      assert.equal((await agent.post(link, { password: newPassword, confirmation: newPassword })).statusCode, 303);
      // The session's forms have a new CSRF secret: the token of the page before is dead.
      assert.equal((await agent.post(link, { password: newPassword, confirmation: newPassword })).statusCode, 403);
      await agent.get('/mot-de-passe-oublie');
      assert.equal((await agent.post(link, { password: newPassword, confirmation: newPassword })).statusCode, 410);

      await agent.get('/mot-de-passe-oublie');
      await agent.post('/mot-de-passe-oublie', { email: 'victime@essaim.test' });
      await app.background.idle();
      const expired = await linkFromOutbox(config.dataDir, 'victime@essaim.test', '/mot-de-passe/');
      await sql`update account_tokens set expires_at = now() - interval '1 minute' where purpose = 'reset'`.execute(
        handle.db,
      );
      const page = await agent.get(expired);
      assert.equal(page.statusCode, 410);
      assert.match(page.body, /Ce lien a expiré ou a déjà servi/);
      const post = await agent.post(expired, {
        password: 'encore un autre mot de passe',
        confirmation: 'encore un autre mot de passe',
      });
      assert.equal(post.statusCode, 410);
      const login = new Agent(app);
      await login.get('/connexion');
      assert.equal(
        (await login.post('/connexion', { email: 'victime@essaim.test', password: newPassword })).statusCode,
        303,
      );
      // Put the password back for the other tests.
      await handle.db
        .updateTable('users')
        .set({
          password_hash: (
            await handle.db
              .selectFrom('users')
              .select('password_hash')
              .where('email', '=', 'victime@essaim.test')
              .executeTakeFirstOrThrow()
          ).password_hash,
        })
        .where('email', '=', 'victime@essaim.test')
        .execute();
    });

    test('an admin invites a reviewer, who may invite editors in their département only and never raise a role', async () => {
      const admin = new Agent(app);
      await admin.get('/connexion');
      await admin.post('/connexion', { email: 'admin@essaim.test', password: PASSWORD });
      await admin.get('/espace/invitations/nouvelle');
      const missing = await admin.post('/espace/invitations', {
        email: 'relecteur@essaim.test',
        role: 'reviewer',
        departement: '',
      });
      assert.equal(missing.statusCode, 400);
      assert.match(missing.body, /Choisissez le département dont la personne relira les fiches/);
      const sent = await admin.post('/espace/invitations', {
        email: 'relecteur@essaim.test',
        name: 'Rémi Relecteur',
        role: 'reviewer',
        departement: structure.departement_code,
      });
      assert.equal(sent.statusCode, 200);
      assert.match(sent.body, /Invitation envoyée à <strong>relecteur@essaim\.test<\/strong>/);

      const reviewer = await activate('relecteur@essaim.test', 'Rémi');
      const form = await reviewer.get('/espace/invitations/nouvelle');
      assert.equal(form.statusCode, 200);
      assert.doesNotMatch(form.body, /value="admin"/, 'a reviewer is offered no wider role');
      const other = await handle.db
        .selectFrom('structures')
        .select('id')
        .where('departement_code', '!=', structure.departement_code)
        .executeTakeFirstOrThrow();
      const outside = await reviewer.post('/espace/invitations', {
        email: 'x@essaim.test',
        role: 'editor',
        structure: String(other.id),
      });
      assert.equal(outside.statusCode, 403);
      const raise = await reviewer.post('/espace/invitations', { email: 'relecteur@essaim.test', role: 'admin' });
      assert.equal(raise.statusCode, 403);
      const self = await reviewer.post('/espace/invitations', {
        email: 'relecteur@essaim.test',
        role: 'editor',
        structure: String(structure.id),
      });
      assert.equal(self.statusCode, 403);
      const ok = await reviewer.post('/espace/invitations', {
        email: 'redactrice@essaim.test',
        role: 'editor',
        structure: String(structure.id),
      });
      assert.equal(ok.statusCode, 200);
      assert.equal((await reviewer.get('/espace/utilisateurs')).statusCode, 403);
      const row = await handle.db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', 'relecteur@essaim.test')
        .executeTakeFirstOrThrow();
      assert.equal(row.is_admin, false);
      const users = await admin.get('/espace/utilisateurs');
      assert.match(users.body, /redactrice@essaim\.test/);
      assert.match(users.body, /Invitation en attente/);
    });

    test('behind a trusted HTTPS proxy, cookies are Secure', async () => {
      const secureConfig = testAppConfig({ TRUST_PROXY: 'true' });
      const secureApp = await buildApp(handle.db, secureConfig);
      try {
        const agent = new Agent(secureApp, { 'x-forwarded-proto': 'https' });
        await agent.get('/connexion');
        const login = await agent.post('/connexion', { email: 'admin@essaim.test', password: PASSWORD });
        const cookie = [login.headers['set-cookie']].flat().find((c) => c?.startsWith('essaim_session='));
        assert.match(cookie ?? '', /Secure/);
      } finally {
        await secureApp.close();
      }
    });
  });
}
