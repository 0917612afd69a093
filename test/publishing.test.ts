import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { inviteUser } from '../src/accounts/roles.service.js';
import { buildApp } from '../src/app.js';
import type { Config } from '../src/config.js';
import type { DbHandle } from '../src/db/connect.js';
import { importDump } from '../src/legacy-dump/import.service.js';
import { createMailer } from '../src/mail/mailer.js';
import { findRevision } from '../src/publishing/publishing.repository.js';
import { Agent, acceptInvitation, readOutbox } from './helpers/agent.js';
import { openTestDatabase, SEED, testAppConfig, testEngines } from './helpers/databases.js';
import { exportedText } from './helpers/fiches.js';

const TITLE = 'Potager partagé des Zinnias au pied des immeubles';

/** The fields of a valid fiche, as the editor form sends them. */
function ficheForm(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    title: TITLE,
    dimension: 'services',
    keywords: ['environnement', 'mixite-sociale'],
    summary: 'Un potager entretenu par les habitants et les enfants du centre.',
    status: 'en-cours',
    version: '0',
    intent: 'save',
    ...overrides,
  };
}

const idFrom = (location: unknown) => Number(/\/espace\/fiches\/(\d+)/.exec(String(location))?.[1]);

for (const engine of testEngines()) {
  describe(`publishing: roles, workflow and history over HTTP (${engine})`, () => {
    let handle: DbHandle;
    let app: FastifyInstance;
    let config: Config;
    let editor: Agent;
    let otherEditor: Agent;
    let reviewer: Agent;
    let otherReviewer: Agent;
    let structure: { id: number; departement_code: string };
    let ficheId: number;

    before(async () => {
      handle = await openTestDatabase(engine);
      await importDump(handle.db, SEED);
      config = testAppConfig();
      app = await buildApp(handle.db, config);
      const structures = await handle.db
        .selectFrom('structures')
        .select(['id', 'departement_code'])
        .orderBy('id')
        .execute();
      structure = structures[0];
      const other = structures.find((s) => s.departement_code !== structure.departement_code);
      assert.ok(other, 'the seed has structures in two départements');
      const invite = (email: string, roles: { structureIds?: number[]; departementCodes?: string[] }) =>
        inviteUser(handle.db, createMailer(config, { info: () => {} }), config.publicUrl, null, { email, ...roles });
      await invite('redaction@centre.test', { structureIds: [structure.id] });
      await invite('autre-redaction@centre.test', { structureIds: [other.id] });
      await invite('relecture@caf.test', { departementCodes: [structure.departement_code] });
      await invite('autre-relecture@caf.test', { departementCodes: [other.departement_code] });
      editor = await acceptInvitation(app, config.dataDir, 'redaction@centre.test', 'Rédactrice');
      otherEditor = await acceptInvitation(app, config.dataDir, 'autre-redaction@centre.test', 'Autre');
      reviewer = await acceptInvitation(app, config.dataDir, 'relecture@caf.test', 'Relecteur');
      otherReviewer = await acceptInvitation(app, config.dataDir, 'autre-relecture@caf.test', 'Autre relecteur');
    });
    after(async () => {
      await app.close();
      await handle.close();
    });

    const publicSearchTotal = async (q: string) =>
      (await app.inject({ url: `/api/v1/actions?q=${encodeURIComponent(q)}` })).json().total as number;
    const exported = () => exportedText(handle.db, 'json');
    const countActions = async () =>
      Number(
        (
          await handle.db
            .selectFrom('actions')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    test('bad input: a 1 000-character title and no dimension get their messages, and nothing is stored', async () => {
      await editor.get('/espace/fiches/nouvelle');
      const before = await countActions();
      const response = await editor.post(
        '/espace/fiches',
        ficheForm({ title: 'x'.repeat(1000), dimension: '', structure: String(structure.id) }),
      );
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /Le formulaire contient 2 erreurs/);
      assert.match(response.body, /Le titre doit compter de 3 à 200 caractères \(il en compte 1000\)\./);
      assert.match(response.body, /Choisissez la dimension de l’action\./);
      assert.match(response.body, /aria-invalid="true"/);
      assert.match(response.body, /value="x{1000}"/, 'what was typed stays in the form');
      assert.match(response.body, /value="environnement" checked/);
      assert.equal(await countActions(), before);
      const foreign = await editor.post('/espace/fiches', ficheForm({ structure: '999999' }));
      assert.equal(foreign.statusCode, 400);
      assert.match(foreign.body, /Choisissez une des structures dont vous rédigez les fiches\./);
      assert.equal(await countActions(), before);
    });

    test('a new fiche is a draft: its structure sees it, the public sees nothing of it anywhere', async () => {
      const created = await editor.post('/espace/fiches', ficheForm({ structure: String(structure.id) }));
      assert.equal(created.statusCode, 303, created.body);
      ficheId = idFrom(created.headers.location);
      const page = await editor.get(`/espace/fiches/${ficheId}?info=enregistree`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Brouillon enregistré/);
      assert.match(page.body, /Fiche action · Brouillon/);
      assert.match(page.body, /Environnement/);

      assert.equal((await app.inject({ url: `/actions/${ficheId}` })).statusCode, 404);
      assert.equal((await app.inject({ url: `/api/v1/actions/${ficheId}` })).statusCode, 404);
      assert.equal(await publicSearchTotal('Zinnias'), 0);
      assert.doesNotMatch(await exported(), /Zinnias/);
      const structurePage = await app.inject({ url: `/api/v1/structures/${structure.id}` });
      assert.doesNotMatch(structurePage.body, /Zinnias/);
      assert.equal(
        (await app.inject({ url: '/api/v1/actions' })).json().total,
        25,
        'the counts are the 25 public fiches',
      );
    });

    test('an editor of another structure can neither read, edit, submit nor delete the fiche (403)', async () => {
      assert.equal((await otherEditor.get(`/espace/fiches/${ficheId}`)).statusCode, 403);
      await otherEditor.get('/espace/fiches');
      assert.equal((await otherEditor.get(`/espace/fiches/${ficheId}/modifier`)).statusCode, 403);
      assert.equal(
        (await otherEditor.post(`/espace/fiches/${ficheId}`, ficheForm({ title: 'Détournée' }))).statusCode,
        403,
      );
      assert.equal((await otherEditor.post(`/espace/fiches/${ficheId}/soumettre`, { version: '1' })).statusCode, 403);
      assert.equal((await otherEditor.post(`/espace/fiches/${ficheId}/supprimer`, {})).statusCode, 403);
      assert.equal((await otherEditor.get(`/espace/fiches/${ficheId}/historique`)).statusCode, 403);
      const stored = await findRevision(handle.db, ficheId);
      assert.equal(stored?.content.title, TITLE);
    });

    test('submitted, sent back with a comment, fixed, resubmitted and published; each step by e-mail; a reviewer elsewhere cannot publish', async () => {
      await editor.get(`/espace/fiches/${ficheId}`);
      const submitted = await editor.post(`/espace/fiches/${ficheId}/soumettre`, { version: '1' });
      assert.equal(submitted.statusCode, 303);
      const mails = async () => (await readOutbox(config.dataDir)).join('\n');
      assert.match(await mails(), /To: relecture@caf\.test[\s\S]*a soumis la fiche/);

      const queue = await reviewer.get('/espace/relecture');
      assert.match(queue.body, /Potager partagé des Zinnias/);
      const elsewhere = await otherReviewer.get('/espace/relecture');
      assert.doesNotMatch(elsewhere.body, /Zinnias/);
      assert.equal((await otherReviewer.post(`/espace/fiches/${ficheId}/publier`, {})).statusCode, 403);
      assert.equal(
        (await editor.post(`/espace/fiches/${ficheId}/publier`, {})).statusCode,
        403,
        'an editor publishes nothing',
      );

      await reviewer.get(`/espace/fiches/${ficheId}`);
      const empty = await reviewer.post(`/espace/fiches/${ficheId}/demander-modifications`, { comment: '  ' });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Dites à la structure ce qu’il faut changer\./);
      const sentBack = await reviewer.post(`/espace/fiches/${ficheId}/demander-modifications`, {
        comment: 'Merci de préciser le budget <total> du potager.',
      });
      assert.equal(sentBack.statusCode, 303);
      assert.match(await mails(), /To: redaction@centre\.test[\s\S]*Merci de préciser le budget/);

      const workspace = await editor.get(`/espace/fiches/${ficheId}`);
      assert.match(workspace.body, /Modifications demandées/);
      assert.match(
        workspace.body,
        /Merci de préciser le budget &lt;total> du potager\./,
        'shown to the editor, escaped',
      );
      assert.doesNotMatch(workspace.body, /<total>/);
      const form = await editor.get(`/espace/fiches/${ficheId}/modifier`);
      const version = /name="version" value="(\d+)"/.exec(form.body)?.[1] as string;
      const fixed = await editor.post(
        `/espace/fiches/${ficheId}`,
        ficheForm({
          version,
          intent: 'submit',
          financialResources: 'Charges : 1 200 €\nProduits : Caf 800 €, ville 400 €',
        }),
      );
      assert.equal(fixed.statusCode, 303, fixed.body);
      assert.equal(fixed.headers.location, `/espace/fiches/${ficheId}?info=soumise`);

      // « Publier » leads to a step that names the fiche, its place and what publishing does.
      assert.match(
        (await reviewer.get(`/espace/fiches/${ficheId}`)).body,
        new RegExp(`href="/espace/fiches/${ficheId}/publier"`),
      );
      const confirm = await reviewer.get(`/espace/fiches/${ficheId}/publier`);
      assert.equal(confirm.statusCode, 200);
      assert.match(confirm.body, /<h1>Publier cette fiche\u00a0\?<\/h1>/);
      assert.match(confirm.body, /Potager partagé des Zinnias/);
      assert.match(confirm.body, new RegExp(`<p class="kicker">[^<]+ — [^<]+ \\(${structure.departement_code}\\)</p>`));
      assert.match(confirm.body, /<button type="submit">Confirmer la publication<\/button>/);
      assert.equal((await otherReviewer.get(`/espace/fiches/${ficheId}/publier`)).statusCode, 403);
      assert.equal((await editor.get(`/espace/fiches/${ficheId}/publier`)).statusCode, 403);
      const published = await reviewer.post(`/espace/fiches/${ficheId}/publier`, {});
      assert.equal(published.statusCode, 303);
      assert.match(await mails(), /To: redaction@centre\.test[\s\S]*est maintenant visible de tous/);

      const publicPage = await app.inject({ url: `/actions/${ficheId}` });
      assert.equal(publicPage.statusCode, 301, 'the public address with its slug');
      assert.equal((await app.inject({ url: String(publicPage.headers.location) })).statusCode, 200);
      assert.equal(await publicSearchTotal('Zinnias'), 1);
      assert.match(await exported(), /Zinnias/);

      const history = await editor.get(`/espace/fiches/${ficheId}/historique`);
      assert.equal(history.statusCode, 200);
      const steps = [...history.body.matchAll(/<h2><span>([^<]+)<\/span>/g)].map((m) => m[1]);
      assert.deepEqual(steps, [
        'Publiée',
        'Soumise à relecture',
        'Modification enregistrée',
        'Modifications demandées',
        'Soumise à relecture',
        'Création',
      ]);
      assert.match(
        history.body,
        /Ressources financières<\/th><td class="free-text">—<\/td><td class="free-text">Charges : 1 200 €/,
      );
      assert.match(history.body, /Merci de préciser le budget &lt;total>/);
    });

    test('an edit of a published fiche waits for review while the published version stays public', async () => {
      const form = await editor.get(`/espace/fiches/${ficheId}/modifier`);
      assert.match(form.body, /name="version" value="0"/, 'no work in progress on a published fiche');
      const saved = await editor.post(
        `/espace/fiches/${ficheId}`,
        ficheForm({ title: 'Potager des Zinnias, deuxième saison' }),
      );
      assert.equal(saved.statusCode, 303);
      const publicFiche = (await app.inject({ url: `/api/v1/actions/${ficheId}` })).json();
      assert.equal(publicFiche.title, TITLE);
      assert.equal(await publicSearchTotal('deuxième saison'), 0);
      const workspace = await editor.get(`/espace/fiches/${ficheId}`);
      assert.match(workspace.body, /Publiée · modification en cours/);
    });

    test('the public page of a fiche offers « Modifier » to those who may write it, and to nobody else', async () => {
      const { url } = (await app.inject({ url: `/api/v1/actions/${ficheId}` })).json();
      const modify = `<a class="button-link" href="/espace/fiches/${ficheId}/modifier">Modifier</a>`;
      assert.ok((await editor.get(url)).body.includes(modify));
      for (const reader of [otherEditor, new Agent(app)]) assert.ok(!(await reader.get(url)).body.includes(modify));
    });

    test('two people saving the same fiche: the second save is refused, keeps what they typed and names what changed', async () => {
      const first = await editor.get(`/espace/fiches/${ficheId}/modifier`);
      const version = /name="version" value="(\d+)"/.exec(first.body)?.[1] as string;
      const a = await editor.post(
        `/espace/fiches/${ficheId}`,
        ficheForm({ version, summary: 'Résumé de la première personne.' }),
      );
      assert.equal(a.statusCode, 303);
      const b = await editor.post(
        `/espace/fiches/${ficheId}`,
        ficheForm({ version, summary: 'Résumé de la seconde personne.' }),
      );
      assert.equal(b.statusCode, 409);
      assert.match(b.body, /Quelqu’un a enregistré cette fiche pendant que vous la modifiiez/);
      assert.match(b.body, /Champs où votre version diffère de celle enregistrée\u00a0: Résumé\./);
      assert.match(b.body, /Résumé de la seconde personne\./);
      const stored = await findRevision(handle.db, ficheId);
      assert.equal(stored?.content.summary, 'Résumé de la première personne.');
    });

    test('archive withdraws a fiche from everything public; restore brings it back', async () => {
      await reviewer.get(`/espace/fiches/${ficheId}`);
      assert.equal((await otherReviewer.post(`/espace/fiches/${ficheId}/archiver`, {})).statusCode, 403);
      assert.equal((await reviewer.post(`/espace/fiches/${ficheId}/archiver`, {})).statusCode, 303);
      assert.equal((await app.inject({ url: `/api/v1/actions/${ficheId}` })).statusCode, 404);
      assert.equal(await publicSearchTotal('Zinnias'), 0);
      assert.equal((await reviewer.post(`/espace/fiches/${ficheId}/restaurer`, {})).statusCode, 303);
      assert.equal(await publicSearchTotal('Zinnias'), 1);
    });

    test('a second fiche of the same title in a structure is refused on its title, not with an error page', async () => {
      await editor.get('/espace/fiches/nouvelle');
      const twice = await editor.post('/espace/fiches', ficheForm({ structure: String(structure.id) }));
      assert.equal(twice.statusCode, 400);
      assert.match(
        twice.body,
        /Votre structure a déjà une fiche de ce titre\u00a0: donnez à celle-ci un titre qui la distingue\./,
      );
    });

    test('a reviewer reads an edit word by word before the decision, corrects it and publishes; the history gives each their own text', async () => {
      const page = await editor.get(`/espace/fiches/${ficheId}`);
      const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] as string;
      assert.equal((await editor.post(`/espace/fiches/${ficheId}/soumettre`, { version })).statusCode, 303);
      const review = (await reviewer.get(`/espace/fiches/${ficheId}`)).body;
      const changes = review.indexOf('Modifications depuis la version publiée');
      assert.ok(
        changes > 0 &&
          changes < review.indexOf('Aperçu') &&
          review.indexOf('Aperçu') < review.indexOf('Votre décision'),
      );
      assert.match(review, /<del><span class="visually-hidden">supprimé\u00a0: <\/span><span>entretenu<\/span><\/del>/);
      assert.match(review, /<ins><span class="visually-hidden">ajouté\u00a0: <\/span><span>première<\/span><\/ins>/);
      assert.equal((await otherReviewer.get(`/espace/fiches/${ficheId}/corriger`)).statusCode, 403);
      const form = await reviewer.get(`/espace/fiches/${ficheId}/corriger`);
      assert.match(form.body, /<button type="submit" name="intent" value="publish">Corriger et publier<\/button>/);
      const current = /name="version" value="(\d+)"/.exec(form.body)?.[1] as string;
      const other = await handle.db
        .selectFrom('actions')
        .select('title')
        .where('structure_id', '=', structure.id)
        .where('id', '!=', ficheId)
        .executeTakeFirstOrThrow();
      const taken = await reviewer.post(
        `/espace/fiches/${ficheId}/corriger`,
        ficheForm({ title: other.title, version: current, intent: 'publish' }),
      );
      assert.equal(taken.statusCode, 400);
      assert.match(taken.body, /La structure a déjà une autre fiche de ce titre/);
      const fixed = await reviewer.post(
        `/espace/fiches/${ficheId}/corriger`,
        ficheForm({
          summary: 'Résumé de la première personne, corrigé par la relecture.',
          version: current,
          intent: 'publish',
        }),
      );
      assert.equal(fixed.statusCode, 303);
      const published = (await app.inject({ url: `/api/v1/actions/${ficheId}` })).json();
      assert.equal(published.summary, 'Résumé de la première personne, corrigé par la relecture.');
      const history = await handle.db
        .selectFrom('action_history')
        .select(['operation', 'actor', 'changes', 'comment'])
        .where('action_id', '=', ficheId)
        .orderBy('id')
        .execute();
      const lastPublish = history.findLast((h) => h.operation === 'publish');
      assert.equal(lastPublish?.actor, 'Relecteur');
      assert.deepEqual(Object.keys(lastPublish?.changes ?? {}), [], 'the publication claims no text');
      const edits = history.filter((h) => h.operation === 'save');
      assert.deepEqual(
        [...new Set(edits.slice(0, -1).map((h) => h.actor))],
        ['Rédactrice'],
        'the edits before the review are the editor’s',
      );
      const correction = history.findLast((h) => h.operation === 'save');
      assert.equal(correction?.actor, 'Relecteur');
      assert.deepEqual(Object.keys(correction?.changes ?? {}), ['summary']);
      assert.equal(correction?.comment, 'Corrections de la relecture avant publication.');
    });
  });
}
