import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Agent } from './helpers/agent.js';
import { openSeededApp, snapshot, testEngines } from './helpers/databases.js';
import { startProvider, type TestProvider } from './helpers/oidc.js';
import { invitedPerson } from './helpers/people.js';

const SITE = 'http://essaim.test';
const plain = (text: string) => text.replaceAll('\u00a0', ' ');

const AGENTS = {
  'anne-caf': { email: 'anne.martin@caf88.fr', email_verified: true, given_name: 'Anne', usual_name: 'Martin' },
  'paul-carsat': { email: 'Paul.Durand@carsat-ne.fr', email_verified: true, given_name: 'Paul', usual_name: 'Durand' },
  'non-verifie': { email: 'claire@caf88.fr', email_verified: false, given_name: 'Claire', usual_name: 'Petit' },
  'sans-statut': { email: 'marc@caf88.fr', given_name: 'Marc', usual_name: 'Leroy' },
  ailleurs: { email: 'jean@exemple-mairie.fr', email_verified: true, given_name: 'Jean', usual_name: 'Roux' },
  relectrice: { email: 'relectrice@caf88.fr', email_verified: true, given_name: 'Léa', usual_name: 'Blanc' },
};

for (const engine of testEngines()) {
  describe(`ProConnect sign-in against a real OpenID Connect provider (${engine})`, () => {
    let provider: TestProvider;
    let seeded: Awaited<ReturnType<typeof openSeededApp>>;
    let admin: Agent;

    before(async () => {
      provider = await startProvider(`${SITE}/connexion/proconnect/retour`, AGENTS, `${SITE}/connexion`);
      seeded = await openSeededApp(engine, {
        PUBLIC_URL: SITE,
        PROCONNECT_ISSUER: provider.issuer,
        PROCONNECT_CLIENT_ID: provider.clientId,
        PROCONNECT_CLIENT_SECRET: provider.clientSecret,
      });
      admin = await invitedPerson(seeded, 'admin@essaim.test', 'Administratrice', { isAdmin: true });
    });
    after(async () => {
      await seeded?.close();
      await provider?.close();
    });

    /** Clicks the button, signs in at the provider as `login`, and comes back to the site. */
    async function signIn(login: string, visitor = new Agent(seeded.app)) {
      const start = await visitor.get('/connexion/proconnect?suite=/espace/fiches');
      assert.equal(start.statusCode, 303);
      const location = String(start.headers.location);
      assert.ok(location.startsWith(`${provider.issuer}/auth?`), location);
      const sent = new URL(location).searchParams;
      assert.equal(sent.get('code_challenge_method'), 'S256');
      assert.ok(sent.get('state') && sent.get('nonce'));
      const back = await provider.signIn(location, login);
      const returned = await visitor.get(back.pathname + back.search);
      return { visitor, returned, back };
    }

    test('the login page offers ProConnect; an administrator allows a domain as reviewers of a département', async () => {
      const login = await new Agent(seeded.app).get('/connexion');
      assert.match(login.body, /href="\/connexion\/proconnect">S’identifier avec ProConnect</);
      await admin.get('/espace/proconnect');
      const refused = await admin.post('/espace/proconnect', {
        domain: 'caf 88',
        role: 'reviewer',
        departements: '99',
      });
      assert.equal(refused.statusCode, 400);
      assert.match(plain(refused.body), /Écrivez le domaine des adresses e-mail, par exemple caf\.fr/);
      const unknown = await admin.post('/espace/proconnect', {
        domain: 'caf88.fr',
        role: 'reviewer',
        departements: '88, 999',
      });
      assert.match(plain(unknown.body), /Département inconnu : « 999 »/);
      const saved = await admin.post('/espace/proconnect', {
        domain: '@CAF88.fr',
        role: 'reviewer',
        departements: '88',
      });
      assert.equal(saved.statusCode, 303, saved.body);
      assert.match(
        plain((await admin.get('/espace/proconnect')).body),
        /@caf88\.fr<\/td><td>Relecture : Vosges \(88\)/,
      );
      const other = await invitedPerson(seeded, 'redactrice@centre.test', 'Rédactrice', {
        structureIds: [(await seeded.handle.db.selectFrom('structures').select('id').executeTakeFirstOrThrow()).id],
      });
      assert.equal((await other.get('/espace/proconnect')).statusCode, 403);

      // A domain given no role, then removed: the list says so at each step.
      await admin.post('/espace/proconnect', { domain: 'centres-sociaux.fr', role: 'member', departements: '' });
      assert.match(plain((await admin.get('/espace/proconnect')).body), /@centres-sociaux\.fr<\/td><td>Aucun rôle/);
      assert.equal((await other.post('/espace/proconnect/centres-sociaux.fr/retirer', {})).statusCode, 403);
      assert.equal((await admin.post('/espace/proconnect/centres-sociaux.fr/retirer', {})).statusCode, 303);
      assert.doesNotMatch((await admin.get('/espace/proconnect')).body, /centres-sociaux\.fr/);
    });

    test('an agent of an allowed domain gets an account with the domain’s role, once', async () => {
      const { visitor, returned } = await signIn('anne-caf');
      assert.equal(returned.statusCode, 303, returned.body);
      assert.equal(returned.headers.location, '/espace/fiches');
      const space = await visitor.get('/espace');
      assert.match(space.body, /Anne Martin/);
      const users = await seeded.handle.db
        .selectFrom('users')
        .select(['id', 'name', 'password_hash', 'proconnect_sub'])
        .where('email', '=', 'anne.martin@caf88.fr')
        .execute();
      assert.deepEqual(
        users.map((u) => [u.name, u.password_hash, u.proconnect_sub]),
        [['Anne Martin', null, 'anne-caf']],
      );
      const roles = await seeded.handle.db
        .selectFrom('user_departements')
        .select('departement_code')
        .where('user_id', '=', users[0].id)
        .execute();
      assert.deepEqual(roles, [{ departement_code: '88' }]);
      assert.equal((await visitor.get('/espace/relecture')).statusCode, 200, 'a reviewer of the Vosges');

      // Signing out ends the ProConnect session too, which sends the browser back to the login page.
      const out = await visitor.post('/deconnexion', {});
      assert.equal(out.statusCode, 303);
      const endSession = String(out.headers.location);
      assert.ok(endSession.startsWith(`${provider.issuer}/session/end?`), endSession);
      assert.ok(new URL(endSession).searchParams.get('id_token_hint'));
      const home = await provider.signOut(endSession);
      assert.equal(home.origin + home.pathname, `${SITE}/connexion`);
      assert.equal((await visitor.get(home.pathname + home.search)).statusCode, 200);
      assert.equal((await visitor.get('/espace')).statusCode, 303, 'signed out of Essaim');

      const again = await signIn('anne-caf');
      assert.equal(again.returned.statusCode, 303);
      const count = await seeded.handle.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'anne.martin@caf88.fr')
        .execute();
      assert.equal(count.length, 1, 'the second sign-in opens the same account');
    });

    test('an existing account is linked by its verified address, whatever its domain', async () => {
      const existing = await invitedPerson(seeded, 'paul.durand@carsat-ne.fr', 'Paul', { departementCodes: ['54'] });
      assert.ok(existing);
      const { returned } = await signIn('paul-carsat');
      assert.equal(returned.statusCode, 303, returned.body);
      const row = await seeded.handle.db
        .selectFrom('users')
        .select(['proconnect_sub', 'password_hash'])
        .where('email', '=', 'paul.durand@carsat-ne.fr')
        .executeTakeFirstOrThrow();
      assert.equal(row.proconnect_sub, 'paul-carsat');
      assert.ok(row.password_hash, 'the password still works too');
    });

    test('refused, with nothing created: a forged state, a replayed code, an unverified address, a domain not allowed', async () => {
      const before = await snapshot(seeded.handle);
      const usersBefore = await seeded.handle.db.selectFrom('users').selectAll().orderBy('id').execute();

      // Forged state: the return carries a state this browser never sent.
      const visitor = new Agent(seeded.app);
      const start = await visitor.get('/connexion/proconnect');
      const back = await provider.signIn(String(start.headers.location), 'relectrice');
      back.searchParams.set('state', 'etat-fabrique-par-un-attaquant');
      const forged = await visitor.get(back.pathname + back.search);
      assert.equal(forged.statusCode, 403);
      assert.match(plain(forged.body), /La connexion avec ProConnect a échoué : le lien de retour n’est pas valable/);

      // A return without this browser's cookie (a link sent to someone else).
      const stranger = await new Agent(seeded.app).get(back.pathname + back.search);
      assert.equal(stranger.statusCode, 403);
      assert.match(plain(stranger.body), /la demande a expiré ou ne vient pas de ce navigateur/);

      // Replayed code: a successful return, then the same return again with the same cookie.
      const first = new Agent(seeded.app);
      const started = await first.get('/connexion/proconnect');
      const pending = first.cookies.get('essaim_proconnect') as string;
      const returnUrl = await provider.signIn(String(started.headers.location), 'anne-caf');
      assert.equal((await first.get(returnUrl.pathname + returnUrl.search)).statusCode, 303);
      const thief = new Agent(seeded.app);
      thief.cookies.set('essaim_proconnect', pending);
      const replayed = await thief.get(returnUrl.pathname + returnUrl.search);
      assert.equal(replayed.statusCode, 403);
      assert.equal(thief.cookies.get('essaim_session'), undefined, 'no session for the replay');

      for (const login of ['non-verifie', 'sans-statut']) {
        const { returned } = await signIn(login);
        assert.equal(returned.statusCode, 403, login);
        assert.match(plain(returned.body), /ProConnect ne garantit pas que l’adresse .* est bien la vôtre/);
      }
      const elsewhere = await signIn('ailleurs');
      assert.equal(elsewhere.returned.statusCode, 403);
      assert.match(
        plain(elsewhere.returned.body),
        /les adresses en « @exemple-mairie\.fr » n’ont pas encore accès à Essaim/,
      );

      const usersAfter = await seeded.handle.db.selectFrom('users').selectAll().orderBy('id').execute();
      assert.deepEqual(
        usersAfter.map((u) => [u.id, u.email, u.proconnect_sub]),
        usersBefore.map((u) => [u.id, u.email, u.proconnect_sub]),
      );
      const after = await snapshot(seeded.handle);
      assert.deepEqual(after, before);
    });
  });
}
