import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { inviteUser } from '../src/accounts/roles.service.js';
import { createMailer } from '../src/mail/mailer.js';
import { Agent, acceptInvitation } from './helpers/agent.js';
import { openSeededApp, testEngines } from './helpers/databases.js';

for (const engine of testEngines()) {
  describe(`structures managed by the reviewers of their départements (${engine})`, () => {
    let seeded: Awaited<ReturnType<typeof openSeededApp>>;
    let reviewer: Agent;
    let editor: Agent;
    let admin: Agent;
    let mine: { id: number; name: string; departement_code: string };
    let foreign: { id: number; name: string; departement_code: string };
    let allCount: number;

    before(async () => {
      seeded = await openSeededApp(engine);
      const { handle, app, config } = seeded;
      const structures = await handle.db
        .selectFrom('structures')
        .select(['id', 'name', 'departement_code'])
        .orderBy('id')
        .execute();
      allCount = structures.length;
      mine = structures[0];
      foreign = structures.find((s) => s.departement_code !== mine.departement_code) as typeof mine;
      const invite = (
        email: string,
        roles: { structureIds?: number[]; departementCodes?: string[]; isAdmin?: boolean },
      ) => inviteUser(handle.db, createMailer(config, { info: () => {} }), config.publicUrl, null, { email, ...roles });
      await invite('relecture@caf.test', { departementCodes: [mine.departement_code] });
      await invite('redaction@centre.test', { structureIds: [mine.id] });
      await invite('admin@essaim.test', { isAdmin: true });
      reviewer = await acceptInvitation(app, config.dataDir, 'relecture@caf.test', 'Relecteur');
      editor = await acceptInvitation(app, config.dataDir, 'redaction@centre.test', 'Rédactrice');
      admin = await acceptInvitation(app, config.dataDir, 'admin@essaim.test', 'Admin');
    });
    after(() => seeded.close());

    const searchTotal = async (q: string) =>
      (await new Agent(seeded.app).get(`/api/v1/actions?q=${encodeURIComponent(q)}`)).json().total as number;

    test('a reviewer lists the structures of their département only; an editor may not', async () => {
      const page = await reviewer.get('/espace/structures');
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes(mine.name.replace(/'/g, '&#39;')) || page.body.includes(mine.name));
      assert.ok(!page.body.includes(`/espace/structures/${foreign.id}/modifier`));
      const asked = await reviewer.get(`/espace/structures?departement=${foreign.departement_code}`);
      assert.ok(!asked.body.includes(`/espace/structures/${foreign.id}/modifier`), 'the address cannot widen the list');
      assert.equal((await editor.get('/espace/structures')).statusCode, 403);
      const all = await admin.get('/espace/structures');
      assert.match(all.body, new RegExp(`<caption>${allCount} structures</caption>`));
    });

    test('bad input gets its message next to the field, and nothing is stored', async () => {
      await reviewer.get('/espace/structures/nouvelle');
      const count = async () => (await seeded.handle.db.selectFrom('structures').select('id').execute()).length;
      const short = await reviewer.post('/espace/structures', {
        name: 'X',
        departement: mine.departement_code,
        kind: '',
      });
      assert.equal(short.statusCode, 400);
      assert.match(short.body, /Le nom doit compter de 2 à 200 caractères \(il en compte 1\)\./);
      const elsewhere = await reviewer.post('/espace/structures', {
        name: 'Centre social des Tilleuls',
        departement: foreign.departement_code,
        kind: 'centre_social',
      });
      assert.equal(elsewhere.statusCode, 400);
      assert.match(elsewhere.body, /Choisissez un des départements dont vous relisez les fiches\./);
      const twice = await reviewer.post('/espace/structures', {
        name: mine.name,
        departement: mine.departement_code,
        kind: '',
      });
      assert.equal(twice.statusCode, 400);
      assert.match(twice.body, /Une structure de ce nom existe déjà dans ce département\./);
      assert.equal(await count(), allCount);
      assert.equal(
        (
          await reviewer.post(`/espace/structures/${foreign.id}`, {
            name: 'Pris',
            departement: foreign.departement_code,
            kind: '',
          })
        ).statusCode,
        403,
      );
    });

    test('a new structure is created; a renamed one is found by its new name in search', async () => {
      await reviewer.get('/espace/structures/nouvelle');
      const created = await reviewer.post('/espace/structures', {
        name: 'Espace de vie sociale Les Glycines',
        departement: mine.departement_code,
        kind: 'evs',
      });
      assert.equal(created.statusCode, 303);
      const list = await reviewer.get(String(created.headers.location));
      assert.match(list.body, /Structure créée\./);
      assert.match(list.body, /Espace de vie sociale Les Glycines/);

      assert.equal(await searchTotal('Zéphyrine'), 0);
      await reviewer.get(`/espace/structures/${mine.id}/modifier`);
      const renamed = await reviewer.post(`/espace/structures/${mine.id}`, {
        name: 'Centre social Zéphyrine',
        departement: mine.departement_code,
        kind: 'centre_social',
      });
      assert.equal(renamed.statusCode, 303);
      const published = await seeded.handle.db
        .selectFrom('actions')
        .select('id')
        .where('structure_id', '=', mine.id)
        .where('publication', '=', 'published')
        .execute();
      assert.ok(published.length > 0);
      assert.equal(await searchTotal('Zéphyrine'), published.length);
    });

    test('an admin writes a fiche for any structure, found by a part of its name, and finds it in « Mes fiches »', async () => {
      assert.match((await admin.get('/espace')).body, /<a href="\/espace\/fiches\/nouvelle">Écrire une fiche<\/a>/);
      const form = await admin.get('/espace/fiches/nouvelle');
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /name="structureSearch"/);
      assert.ok(!form.body.includes('<select id="champ-structure"'), 'no list of every structure');
      const fiche = {
        title: 'Fête de quartier des Tilleuls',
        dimension: 'services',
        summary: 'Une fête préparée avec les habitants.',
        version: '0',
        intent: 'save',
      };
      const several = await admin.post('/espace/fiches', { ...fiche, structureSearch: 'centre social' });
      assert.equal(several.statusCode, 400);
      const body = several.body.replaceAll('\u00a0', ' ');
      assert.match(body, /Plusieurs structures correspondent à « centre social » : choisissez la vôtre\./);
      assert.ok((body.match(/name="structure" id="structure-/g) ?? []).length >= 2, 'the candidates, as radios');
      const none = await admin.post('/espace/fiches', { ...fiche, structureSearch: 'xyzzy' });
      assert.match(
        none.body.replaceAll('\u00a0', ' '),
        /Aucune structure dont vous rédigez les fiches ne s’appelle « xyzzy »\./,
      );
      const current = await seeded.handle.db
        .selectFrom('structures')
        .select(['id', 'name', 'departement_code'])
        .where('id', '=', foreign.id)
        .executeTakeFirstOrThrow();
      const saved = await admin.post('/espace/fiches', {
        ...fiche,
        structureSearch: `${current.name} (${current.departement_code})`,
      });
      assert.equal(saved.statusCode, 303, saved.body.slice(0, 300));
      const stored = await seeded.handle.db
        .selectFrom('actions')
        .select('structure_id')
        .where('title', '=', fiche.title)
        .executeTakeFirstOrThrow();
      assert.equal(stored.structure_id, foreign.id);
      assert.match((await admin.get('/espace/fiches')).body, /Fête de quartier des Tilleuls/);
      await editor.get('/espace/fiches/nouvelle');
      const elsewhere = await editor.post('/espace/fiches', { ...fiche, structure: String(foreign.id) });
      assert.equal(elsewhere.statusCode, 400, 'an editor writes for their structures only');
    });
  });
}
