import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { findRevision } from '../src/publishing/publishing.repository.js';
import { Agent } from './helpers/agent.js';
import { openSeededApp, testEngines } from './helpers/databases.js';
import { ficheOfDepartement, invitedPerson, structureOfDepartement } from './helpers/people.js';

for (const engine of testEngines()) {
  describe(`« S'inspirer de cette fiche » (${engine})`, () => {
    let seeded: Awaited<ReturnType<typeof openSeededApp>>;
    let lotEditor: Agent;
    let lotReviewer: Agent;
    let source: { id: number; url: string; title: string; summary: string; financialResources: string | null };
    let lot: { id: number; name: string };

    before(async () => {
      seeded = await openSeededApp(engine);
      source = await ficheOfDepartement(seeded, '59');
      lot = await structureOfDepartement(seeded, '46');
      lotEditor = await invitedPerson(seeded, 'redaction@rionet.test', 'Rédactrice du Lot', { structureIds: [lot.id] });
      lotReviewer = await invitedPerson(seeded, 'relecture@lot.test', 'Relecteur du Lot', { departementCodes: ['46'] });
    });
    after(() => seeded?.close());

    test('a visitor is told how to become a contributor; posting without an account leads to the login', async () => {
      const visitor = new Agent(seeded.app);
      const fiche = await visitor.get(source.url);
      assert.ok(fiche.body.includes(`<a href="${source.url}/inspirer">S’inspirer de cette fiche</a>`));
      const page = await visitor.get(`${source.url}/inspirer`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /il faut un compte de contributeur/);
      assert.ok(page.body.includes('<a href="/devenir-contributeur">Devenir contributeur</a>'));
      const posted = await visitor.post(`${source.url}/inspirer`, { structure: String(lot.id) }, { csrf: false });
      assert.ok([303, 403].includes(posted.statusCode), String(posted.statusCode));
    });

    test('a contributor of another centre gets a draft of their structure with the texts, not the files, status or budget', async () => {
      const form = await lotEditor.get(`${source.url}/inspirer`);
      assert.match(form.body, new RegExp(`<option value="${lot.id}">`));
      const created = await lotEditor.post(`${source.url}/inspirer`, { structure: String(lot.id) });
      assert.equal(created.statusCode, 303);
      const id = Number(/\/espace\/fiches\/(\d+)\?info=inspiree$/.exec(String(created.headers.location))?.[1]);
      assert.ok(id > 0, String(created.headers.location));
      const draft = await seeded.handle.db
        .selectFrom('actions')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(draft.structure_id, lot.id);
      assert.equal(draft.publication, 'draft');
      assert.equal(draft.inspired_by_id, source.id);
      assert.equal(draft.title, source.title);
      assert.equal(draft.summary, source.summary);
      assert.equal(draft.financial_resources, null, 'the figures are the other centre’s');
      assert.equal(draft.status_code, null);
      const history = await seeded.handle.db
        .selectFrom('action_history')
        .select(['operation', 'comment'])
        .where('action_id', '=', id)
        .execute();
      assert.deepEqual(
        history.map((h) => h.operation),
        ['create'],
      );
      assert.match(String(history[0].comment), /^Inspirée de la fiche «\u00a0/);
      const workspace = await lotEditor.get(String(created.headers.location));
      assert.match(workspace.body, /Brouillon créé à partir de la fiche d’un autre centre/);
      assert.ok(workspace.body.includes(`Inspirée de <a href="${source.url}">`), 'the draft names its source');

      // Submitted and published in the Lot: the Nord fiche says it was taken up, the API too.
      await lotEditor.get(`/espace/fiches/${id}`);
      const version = String((await findRevision(seeded.handle.db, id))?.version ?? 0);
      assert.equal((await lotEditor.post(`/espace/fiches/${id}/soumettre`, { version })).statusCode, 303);
      await lotReviewer.get(`/espace/fiches/${id}/publier`);
      assert.equal((await lotReviewer.post(`/espace/fiches/${id}/publier`, {})).statusCode, 303);
      const reader = new Agent(seeded.app);
      const taken = await reader.get(source.url);
      assert.match(taken.body, /<h2 id="reprises">Reprise par 1 centre<\/h2>/);
      const copy = (await reader.get(`/api/v1/actions/${id}`)).json();
      assert.deepEqual(copy.inspiredBy, {
        id: source.id,
        title: source.title,
        url: source.url,
        structure: (await reader.get(`/api/v1/actions/${source.id}`)).json().structure.name,
      });
      const again = (await reader.get(`/api/v1/actions/${source.id}`)).json();
      assert.deepEqual(
        again.inspired.map((f: { id: number; structure: string }) => [f.id, f.structure]),
        [[id, lot.name]],
      );
      const exported = (await reader.get('/api/v1/actions/export?format=json&department=59')).json();
      assert.equal(exported.fiches.find((f: { id: number }) => f.id === source.id).inspired.length, 1);
    });

    test('with the budget asked for, its text comes along; a structure that is not theirs is refused', async () => {
      await lotEditor.get(`${source.url}/inspirer`);
      const created = await lotEditor.post(`${source.url}/inspirer`, { structure: String(lot.id), withBudget: 'oui' });
      assert.equal(created.statusCode, 303, created.body.slice(0, 500));
      const id = Number(/\/espace\/fiches\/(\d+)/.exec(String(created.headers.location))?.[1]);
      const draft = await seeded.handle.db
        .selectFrom('actions')
        .select('financial_resources')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(draft.financial_resources, source.financialResources);
      const elsewhere = await lotEditor.post(`${source.url}/inspirer`, { structure: '1' });
      assert.equal(elsewhere.statusCode, 400);
      assert.match(elsewhere.body, /Choisissez une des structures dont vous rédigez les fiches\./);
    });
  });
}
