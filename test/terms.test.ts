import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { inviteUser } from '../src/accounts/roles.service.js';
import { createMailer } from '../src/mail/mailer.js';
import { Agent, acceptInvitation } from './helpers/agent.js';
import { openSeededApp, SEED_TEXT, testEngines } from './helpers/databases.js';
import { exportedText } from './helpers/fiches.js';

for (const engine of testEngines()) {
  describe(`vocabularies administered by admins (${engine})`, () => {
    let seeded: Awaited<ReturnType<typeof openSeededApp>>;
    let admin: Agent;
    let reviewer: Agent;
    let editor: Agent;

    before(async () => {
      seeded = await openSeededApp(engine);
      const { handle, app, config } = seeded;
      const [structure] = await handle.db.selectFrom('structures').select(['id', 'departement_code']).execute();
      const invite = (
        email: string,
        roles: { structureIds?: number[]; departementCodes?: string[]; isAdmin?: boolean },
      ) => inviteUser(handle.db, createMailer(config, { info: () => {} }), config.publicUrl, null, { email, ...roles });
      await invite('admin@essaim.test', { isAdmin: true });
      await invite('relecture@caf.test', { departementCodes: [structure.departement_code] });
      await invite('redaction@centre.test', { structureIds: [structure.id] });
      admin = await acceptInvitation(app, config.dataDir, 'admin@essaim.test', 'Admin');
      reviewer = await acceptInvitation(app, config.dataDir, 'relecture@caf.test', 'Relecteur');
      editor = await acceptInvitation(app, config.dataDir, 'redaction@centre.test', 'Rédactrice');
    });
    after(() => seeded.close());

    const api = (url: string) => new Agent(seeded.app).get(url).then((r) => r.json());
    const dump = () => exportedText(seeded.handle.db, 'dump');

    test('only admins see and change the vocabularies', async () => {
      assert.equal((await reviewer.get('/espace/vocabulaires')).statusCode, 403);
      assert.equal((await editor.get('/espace/vocabulaires')).statusCode, 403);
      await editor.get('/espace');
      const forged = await editor.post('/espace/vocabulaires/keywords', { 'label-keywords': 'Intrus' });
      assert.equal(forged.statusCode, 403);
      const page = await admin.get('/espace/vocabulaires');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<h2 id="keywords-titre">Mots clés<\/h2>/);
    });

    test('the use counts are the counts of the search', async () => {
      const page = await admin.get('/espace/vocabulaires');
      const used =
        /href="\/espace\/vocabulaires\/keywords\/environnement">Environnement<\/a><\/td><td><code>environnement<\/code><\/td><td>(\d+)<\/td>/.exec(
          page.body,
        )?.[1];
      assert.ok(used, 'the keyword is listed with its count');
      assert.equal(Number(used), (await api('/api/v1/actions?keyword=environnement')).total);
    });

    test('a new value is offered to editors; a label already taken is refused', async () => {
      await admin.get('/espace/vocabulaires');
      const added = await admin.post('/espace/vocabulaires/keywords', { 'label-keywords': '  Jardinage   partagé ' });
      assert.equal(added.statusCode, 303);
      assert.match(String(added.headers.location), /info=ajoutee/);
      const form = await editor.get('/espace/fiches/nouvelle');
      assert.match(form.body, /value="jardinage-partage"/);
      assert.match(form.body, />Jardinage partagé</);
      const twin = await admin.post('/espace/vocabulaires/keywords', { 'label-keywords': 'ENVIRONNEMENT' });
      assert.equal(twin.statusCode, 400);
      assert.match(twin.body, /Ce libellé est déjà celui de la valeur «\u00a0Environnement\u00a0»\./);
      assert.match(twin.body, /value="ENVIRONNEMENT"/, 'what was typed stays in the field');
      const empty = await admin.post('/espace/vocabulaires/publics', { 'label-publics': 'x' });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Le libellé doit compter de 2 à 120 caractères \(il en compte 1\)\./);
    });

    test('a renamed value is shown and searched by its new label; the legacy dump keeps the source’s', async () => {
      const before = (await api('/api/v1/actions?keyword=environnement')).total as number;
      assert.equal((await api('/api/v1/actions?q=Verdure')).total, 0);
      await admin.get('/espace/vocabulaires/keywords/environnement');
      const saved = await admin.post('/espace/vocabulaires/keywords/environnement', {
        label: 'Verdure et environnement',
      });
      assert.equal(saved.statusCode, 303);
      const found = await api('/api/v1/actions?q=Verdure');
      assert.equal(found.total, before, 'every fiche with the keyword is found by its new label');
      assert.equal(
        found.items[0].keywords.find((k: { code: string }) => k.code === 'environnement').label,
        'Verdure et environnement',
      );
      assert.equal(await dump(), SEED_TEXT, 'the dump still writes « Environnement »');
    });
  });
}
