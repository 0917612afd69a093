import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { addMonths, sendReminders } from '../src/freshness/reminders.service.js';
import { createMailer } from '../src/mail/mailer.js';
import { Agent } from './helpers/agent.js';
import { openSeededApp, testEngines } from './helpers/databases.js';
import { invitedPerson } from './helpers/people.js';
import { startSmtp } from './helpers/smtp.js';

const DAY = 24 * 60 * 60_000;

/** The structure with the most fiches: its editor gets one e-mail listing them all. */
async function busiestStructure(seeded: Awaited<ReturnType<typeof openSeededApp>>) {
  const { rows } = await sql<{ id: number; name: string; departement_code: string }>`
    select s.id, s.name, s.departement_code from structures s join actions a on a.structure_id = s.id
    group by s.id order by count(*) desc, s.id limit 1`.execute(seeded.handle.db);
  return rows[0];
}
const plain = (html: string) => html.replaceAll('\u00a0', ' ').replaceAll('&#39;', "'");
const today = () => new Date().toLocaleDateString('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' });

for (const engine of testEngines()) {
  describe(`fiches that stay true: reminders, « À jour au », « À vérifier » (${engine})`, () => {
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let seeded: Awaited<ReturnType<typeof openSeededApp>>;
    let centre: { id: number; name: string; departement_code: string };
    let fiches: Array<{ id: number; title: string }>;
    let hereReviewer: Agent;
    let editor: Agent;
    let otherReviewer: Agent;
    // The clock the test moves: the seed was imported just now.
    const start = new Date();
    const EDITOR = 'animatrice@centre-nord.test';

    before(async () => {
      smtp = await startSmtp();
      seeded = await openSeededApp(engine, { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
      centre = await busiestStructure(seeded);
      fiches = await seeded.handle.db
        .selectFrom('actions')
        .select(['id', 'title'])
        .where('structure_id', '=', centre.id)
        .orderBy('id')
        .execute();
      assert.ok(fiches.length >= 2, 'the centre has several fiches');
      editor = await invitedPerson(seeded, EDITOR, 'Animatrice du centre', { structureIds: [centre.id] });
      hereReviewer = await invitedPerson(seeded, 'relecture@ici.test', 'Relectrice du département', {
        departementCodes: [centre.departement_code],
      });
      const elsewhere = centre.departement_code === '46' ? '59' : '46';
      otherReviewer = await invitedPerson(seeded, 'relecture@ailleurs.test', 'Relecteur d’ailleurs', {
        departementCodes: [elsewhere],
      });
    });
    after(async () => {
      await seeded?.close();
      await smtp?.close();
    });

    const run = (at: Date) =>
      sendReminders(
        seeded.handle.db,
        createMailer(seeded.config, { info: () => {} }),
        seeded.config.publicUrl,
        seeded.config.reminders,
        at,
      );
    const inbox = () => smtp.inbox.filter((m) => m.to === EDITOR).map((m) => ({ ...m, text: plain(m.text) }));
    const freshnessCount = async (code: string) => {
      const body = (await new Agent(seeded.app).get(`/api/v1/actions?department=${centre.departement_code}`)).json();
      return body.facets.freshness.find((v: { code: string }) => v.code === code)?.count ?? 0;
    };
    const ficheUrl = async (id: number) => (await new Agent(seeded.app).get(`/api/v1/actions/${id}`)).json().url;

    test('the e-mail goes to the structure’s editor at 12 months, once, listing its fiches with their links', async () => {
      await run(new Date(addMonths(start, 12).getTime() - DAY));
      assert.equal(inbox().length, 0, 'not before 12 months');
      const first = await run(new Date(addMonths(start, 12).getTime() + DAY));
      assert.equal(inbox().length, 1);
      assert.ok(first.reminded >= fiches.length);
      const mail = inbox()[0];
      assert.match(mail.subject, new RegExp(`à vérifier \\(${centre.name.replace(/[()]/g, '.')}\\)`));
      for (const f of fiches) assert.ok(mail.text.includes(f.title), f.title);
      assert.match(
        mail.text,
        /Toujours d’actualité \? Un clic suffit, sans vous connecter : http:\/\/[^\s]+\/fiches\/actualite\/\d+\.[\w-]{43}/,
      );
      assert.match(mail.text, /\/espace\/fiches\/\d+/);
      assert.ok(!smtp.inbox.some((m) => m.to === 'relecture@ailleurs.test'), 'only the editors are written to');
      await run(new Date(addMonths(start, 12).getTime() + 2 * DAY));
      assert.equal(inbox().length, 1, 'never the same fiche twice in one period');
      assert.ok((await freshnessCount('old')) >= fiches.length, 'the facet counts them « Plus d’un an »');
      const history = plain((await hereReviewer.get(`/espace/fiches/${fiches[0].id}/historique`)).body);
      assert.match(history, /Rappel d’actualité envoyé/);
      const mine = plain((await editor.get('/espace/fiches')).body);
      assert.equal(mine.split('Publiée · à confirmer').length - 1, fiches.length, 'her list says what to confirm');
    });

    test('« Toujours d’actualité » confirms through the link, once: the fiche is « À jour au » today', async () => {
      const link = /http:\/\/[^\s]+(\/fiches\/actualite\/\S+)/.exec(inbox()[0].text)?.[1] as string;
      const [confirmed] = fiches;
      const owner = new Agent(seeded.app);
      const page = await owner.get(link);
      assert.equal(page.statusCode, 200);
      assert.match(plain(page.body), /Cette fiche est-elle toujours d’actualité \?/);
      const done = await owner.post(link, {});
      assert.equal(done.statusCode, 303);
      const thanks = await owner.get(String(done.headers.location));
      assert.equal(thanks.statusCode, 200);
      assert.match(plain(thanks.body), new RegExp(`est à jour au ${today()}`));
      const shown = plain((await owner.get(await ficheUrl(confirmed.id))).body);
      assert.match(shown, new RegExp(`À jour au</dt>\\s*<dd><time datetime="[^"]+">${today()}</time>`));
      const again = await owner.get(link);
      assert.equal(again.statusCode, 410);
      assert.match(plain(again.body), /Ce lien a déjà servi/);
      assert.equal((await owner.get(link.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).statusCode, 404);
      const history = plain((await hereReviewer.get(`/espace/fiches/${confirmed.id}/historique`)).body);
      assert.match(history, /Confirmée « Toujours d’actualité »/);
    });

    test('unanswered at 18 months: « À vérifier » on the page, in the results and the facet, in the reviewer’s queue only', async () => {
      const [confirmed, ...unanswered] = fiches;
      const later = await run(new Date(addMonths(start, 18).getTime() + 2 * DAY));
      assert.ok(later.flagged >= unanswered.length);
      const shown = plain((await new Agent(seeded.app).get(await ficheUrl(unanswered[0].id))).body);
      assert.match(
        shown,
        /À jour au<\/dt>\s*<dd><time[^>]+>[^<]+<\/time><strong class="badge badge-stale">À vérifier<\/strong>/,
      );
      assert.match(shown, /Ses éditeurs n’ont pas confirmé qu’elle est toujours d’actualité/);
      const confirmedPage = plain((await new Agent(seeded.app).get(await ficheUrl(confirmed.id))).body);
      assert.ok(!confirmedPage.includes('Ses éditeurs n’ont pas confirmé'), 'the confirmed fiche is not flagged');
      // A confirmation starts a new period: 12 months after it, its editors are asked again, for it alone.
      assert.equal(inbox().length, 2);
      assert.ok(inbox()[1].text.includes(confirmed.title));
      for (const f of unanswered) assert.ok(!inbox()[1].text.includes(`• ${f.title}\n`), f.title);

      const stale = (await new Agent(seeded.app).get('/api/v1/actions?freshness=stale&perPage=50')).json();
      assert.ok(stale.total >= unanswered.length);
      assert.ok(stale.items.every((i: { stale: boolean }) => i.stale));
      assert.ok(!stale.items.some((i: { id: number }) => i.id === confirmed.id));
      const inNord = stale.items.filter(
        (i: { structure: { department: { code: string } } }) => i.structure.department.code === centre.departement_code,
      );
      assert.equal(await freshnessCount('stale'), inNord.length, 'the facet counts what the filter finds');
      const results = plain((await new Agent(seeded.app).get('/actions?freshness=stale')).body);
      assert.match(results, /Fraîcheur/);
      assert.match(results, /<strong class="badge badge-stale">À vérifier<\/strong>/);

      const queue = plain((await hereReviewer.get('/espace/a-verifier')).body);
      for (const f of unanswered) assert.ok(queue.includes(f.title), f.title);
      assert.ok(!queue.includes(`>${confirmed.title}<`));
      const elsewhere = plain((await otherReviewer.get('/espace/a-verifier')).body);
      for (const f of unanswered) assert.ok(!elsewhere.includes(f.title), f.title);
      assert.equal((await new Agent(seeded.app).get('/espace/a-verifier')).statusCode, 303, 'to the login');
    });

    test('a reviewer confirms a stale fiche from the queue; it leaves the queue and the facet', async () => {
      const [, ...unanswered] = fiches;
      await hereReviewer.get('/espace/a-verifier');
      const done = await hereReviewer.post(`/espace/fiches/${unanswered[0].id}/actualite`, {
        back: '/espace/a-verifier',
      });
      assert.equal(done.statusCode, 303);
      assert.equal(done.headers.location, '/espace/a-verifier?info=actualite');
      const queue = plain((await hereReviewer.get(String(done.headers.location))).body);
      assert.match(queue, /Fiche confirmée « Toujours d’actualité »/);
      assert.ok(!queue.includes(`>${unanswered[0].title}<`));
      const refused = await otherReviewer.post(`/espace/fiches/${unanswered[0].id}/actualite`, { back: '/espace' });
      assert.equal(refused.statusCode, 403);
    });
  });
}
