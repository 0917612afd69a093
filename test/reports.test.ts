import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { REPORTS_PER_IP_HOUR } from '../src/reports/reports.service.js';
import { Agent, readOutbox } from './helpers/agent.js';
import { openSeededApp, testEngines } from './helpers/databases.js';
import { ficheOfDepartement, invitedPerson } from './helpers/people.js';

const plain = (html: string) => html.replaceAll('\u00a0', ' ');

for (const engine of testEngines()) {
  describe(`« Signaler une erreur » (${engine})`, () => {
    let seeded: Awaited<ReturnType<typeof openSeededApp>>;
    let nordReviewer: Agent;
    let lotReviewer: Agent;
    let fiche: { id: number; url: string; title: string };
    const count = async () => (await seeded.handle.db.selectFrom('fiche_reports').select('id').execute()).length;

    before(async () => {
      // Each reader from an address of its own, as behind the proxy.
      seeded = await openSeededApp(engine, { TRUST_PROXY: 'true' });
      fiche = await ficheOfDepartement(seeded, '59');
      nordReviewer = await invitedPerson(seeded, 'relecture@nord.test', 'Relectrice du Nord', {
        departementCodes: ['59'],
      });
      lotReviewer = await invitedPerson(seeded, 'relecture@lot.test', 'Relecteur du Lot', { departementCodes: ['46'] });
    });
    after(() => seeded?.close());

    const reader = (ip: string) => new Agent(seeded.app, { 'x-forwarded-for': ip });

    test('a reader’s report reaches the reviewers of the fiche’s département, and nobody else; personal data first', async () => {
      const visitor = reader('198.51.100.20');
      assert.ok(
        (await visitor.get(fiche.url)).body.includes(`<a href="${fiche.url}/signaler">Signaler une erreur</a>`),
      );
      await visitor.get(`${fiche.url}/signaler`);
      const refused = await visitor.post(`${fiche.url}/signaler`, {
        kind: '',
        text: 'court',
        email: 'pas-une-adresse',
        website: '',
      });
      assert.equal(refused.statusCode, 400);
      assert.match(plain(refused.body), /Choisissez ce que vous signalez\./);
      assert.match(plain(refused.body), /Dites ce qui ne va pas, en 10 caractères au moins\./);
      assert.match(plain(refused.body), /« pas-une-adresse » n’est pas une adresse e-mail valide\./);
      const sent = await visitor.post(`${fiche.url}/signaler`, {
        kind: 'outdated',
        text: 'Le centre a déménagé en 2025, l’atelier a lieu ailleurs.',
        email: 'Lecteur@exemple.test',
        website: '',
      });
      assert.equal(sent.statusCode, 303);
      assert.match(
        plain((await visitor.get(String(sent.headers.location))).body),
        /Merci : votre signalement est transmis/,
      );
      await visitor.post(`${fiche.url}/signaler`, {
        kind: 'personal_data',
        text: 'Le nom et le téléphone d’une habitante sont dans la description.',
        email: '',
        website: '',
      });
      const queue = plain((await nordReviewer.get('/espace/signalements')).body);
      const urgent = queue.indexOf('Urgent');
      assert.ok(urgent > 0 && urgent < queue.indexOf('La fiche n’est plus à jour'), 'personal data first');
      assert.match(queue, /Le centre a déménagé en 2025/);
      assert.ok(!plain((await lotReviewer.get('/espace/signalements')).body).includes('Le centre a déménagé'));
      assert.equal((await new Agent(seeded.app).get('/espace/signalements')).statusCode, 303, 'to the login');
    });

    test('the reviewer closes a report with a note: the reader is told, the address forgotten; another département may not', async () => {
      const report = await seeded.handle.db
        .selectFrom('fiche_reports')
        .select('id')
        .where('kind', '=', 'outdated')
        .executeTakeFirstOrThrow();
      await lotReviewer.get('/espace/signalements');
      const elsewhere = await lotReviewer.post(`/espace/signalements/${report.id}`, { decision: 'handled' });
      assert.equal(elsewhere.statusCode, 403);
      await nordReviewer.get('/espace/signalements');
      const closed = await nordReviewer.post(`/espace/signalements/${report.id}`, {
        decision: 'handled',
        [`note-${report.id}`]: 'Adresse corrigée avec le centre.',
      });
      assert.equal(closed.statusCode, 303);
      const stored = await seeded.handle.db
        .selectFrom('fiche_reports')
        .select(['state', 'email', 'reviewer_note'])
        .where('id', '=', report.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(stored, { state: 'handled', email: null, reviewer_note: 'Adresse corrigée avec le centre.' });
      const told = (await readOutbox(seeded.config.dataDir)).find((m) => /^To: lecteur@exemple\.test$/m.test(m));
      assert.ok(told, 'the reader gets an e-mail');
      assert.match(plain(told), /Adresse corrigée avec le centre\./);
      assert.ok(!plain((await nordReviewer.get('/espace/signalements')).body).includes('Le centre a déménagé'));
    });

    test(`${REPORTS_PER_IP_HOUR} reports an hour from one IP, then refused in French; a filled hidden field refuses a robot`, async () => {
      const before = await count();
      const robot = reader('203.0.113.77');
      await robot.get(`${fiche.url}/signaler`);
      const statuses: number[] = [];
      for (let n = 0; n < 20; n++) {
        const answer = await robot.post(`${fiche.url}/signaler`, {
          kind: 'other',
          text: `Signalement automatique numéro ${n}.`,
          email: '',
          website: '',
        });
        statuses.push(answer.statusCode);
        if (n === 19)
          assert.match(plain(answer.body), /Trop de signalements envoyés en une heure : réessayez plus tard\./);
      }
      assert.deepEqual(statuses, [
        ...Array(REPORTS_PER_IP_HOUR).fill(303),
        ...Array(20 - REPORTS_PER_IP_HOUR).fill(429),
      ]);
      assert.equal(await count(), before + REPORTS_PER_IP_HOUR);
      const bot = reader('203.0.113.78');
      await bot.get(`${fiche.url}/signaler`);
      const trapped = await bot.post(`${fiche.url}/signaler`, {
        kind: 'other',
        text: 'Achetez nos montres pas chères.',
        email: '',
        website: 'https://spam.example',
      });
      assert.equal(trapped.statusCode, 400);
      assert.equal(await count(), before + REPORTS_PER_IP_HOUR, 'nothing stored');
    });
  });
}
