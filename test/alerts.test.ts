import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sendDueAlerts } from '../src/alerts/alerts.service.js';
import { importDump } from '../src/legacy-dump/import.service.js';
import { parseDump } from '../src/legacy-dump/parser.js';
import { writeDump } from '../src/legacy-dump/writer.js';
import { createMailer } from '../src/mail/mailer.js';
import { Agent } from './helpers/agent.js';
import { openSeededApp, SEED, testEngines } from './helpers/databases.js';
import { startSmtp } from './helpers/smtp.js';

const DAY = 24 * 60 * 60_000;
const seedFiches = parseDump(SEED).fiches;

/** New published fiches: copies of seed fiches under new titles, imported as a dump would be. */
function newFiches(titles: Record<string, string>): string {
  return writeDump(
    Object.entries(titles).map(([from, title]) => {
      const fiche = seedFiches.find((f) => f.title === from);
      assert.ok(fiche, from);
      return { ...fiche, title };
    }),
  );
}

// Seed fiches with and without the keyword « Viellissement » (the source's spelling).
const AGEING = 'Activités physiques séniors';
const AGEING_TOO = "Bus de l'autonomie";
const OTHER = 'ARTETSI ESPACE DE VIE SOCIAL';

for (const engine of testEngines()) {
  describe(`saved searches and their e-mail alerts (${engine})`, () => {
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let seeded: Awaited<ReturnType<typeof openSeededApp>>;

    before(async () => {
      smtp = await startSmtp();
      seeded = await openSeededApp(engine, { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
      for (const title of [AGEING, AGEING_TOO]) {
        assert.ok(seedFiches.find((f) => f.title === title)?.keywords.includes('Viellissement'), title);
      }
      assert.ok(!seedFiches.find((f) => f.title === OTHER)?.keywords.includes('Viellissement'));
    });
    after(async () => {
      await seeded.close();
      await smtp.close();
    });

    const mailer = () => createMailer(seeded.config, { info: () => {} });
    const run = (at: Date) => sendDueAlerts(seeded.handle.db, mailer(), seeded.config.publicUrl, at);
    const publish = (titles: Record<string, string>) => importDump(seeded.handle.db, newFiches(titles));
    const inboxOf = (to: string) => smtp.inbox.filter((m) => m.to === to);

    test('a visitor confirms, receives exactly the new matching fiches once, and one click stops it', async () => {
      const reader = new Agent(seeded.app);
      const form = await reader.get('/alertes/nouvelle?keyword=vieillissement');
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /Mots clés\u00a0: Vieillissement/);
      const saved = await reader.post('/alertes', {
        keyword: 'vieillissement',
        email: 'Lectrice@Exemple.test',
        frequency: 'daily',
      });
      assert.equal(saved.statusCode, 200, saved.body);
      assert.match(saved.body, /Un e-mail vient d’être envoyé à Lectrice@Exemple\.test/);

      // Double opt-in: nothing is sent before the link is opened.
      const [confirmation] = inboxOf('lectrice@exemple.test');
      assert.equal(confirmation.subject, 'Confirmez votre alerte Essaim');
      await publish({ [AGEING]: 'Gym douce pour les aînés' });
      assert.equal((await run(new Date())).sent, 0);
      const link = /\/alertes\/confirmer\/\S+/.exec(confirmation.text)?.[0];
      assert.ok(link);
      const confirmed = await reader.get(link);
      assert.equal(confirmed.statusCode, 200);
      assert.match(confirmed.body, /Alerte activée/);

      // Fiches published since the search was saved, matching or not; then two runs.
      await publish({ [AGEING_TOO]: 'Un bus pour bien vieillir', [OTHER]: 'Un espace pour tous' });
      const now = Date.now();
      const first = await run(new Date(now));
      assert.deepEqual([first.sent, first.fiches, first.failed], [1, 2, 0]);
      const alerts = inboxOf('lectrice@exemple.test').slice(1);
      assert.equal(alerts.length, 1);
      assert.equal(alerts[0].subject, 'Essaim : 2 nouvelles fiches actions pour votre recherche');
      assert.match(alerts[0].text, /Mots clés\u00a0: Vieillissement/);
      assert.match(alerts[0].text, /• Un bus pour bien vieillir/);
      assert.match(alerts[0].text, /• Gym douce pour les aînés/);
      assert.doesNotMatch(alerts[0].text, /Un espace pour tous/);
      assert.equal((await run(new Date(now + 2 * DAY))).sent, 0, 'never the same fiche twice');
      assert.equal(inboxOf('lectrice@exemple.test').length, 2);

      // A daily alert waits for its day; the next new fiche comes alone.
      await publish({ [AGEING]: 'Marche nordique seniors' });
      assert.equal((await run(new Date(now + 2 * DAY + 60_000))).due, 0);
      assert.equal((await run(new Date(now + 3 * DAY))).fiches, 1);
      assert.match(inboxOf('lectrice@exemple.test')[2].text, /• Marche nordique seniors/);

      // One click, as a mail client posts it (RFC 8058): no form, no cookie.
      const unsubscribe = inboxOf('lectrice@exemple.test')[2].unsubscribe ?? '';
      assert.ok(unsubscribe.startsWith(`${seeded.config.publicUrl}/alertes/desabonner/`));
      const path = new URL(unsubscribe).pathname;
      assert.match((await new Agent(seeded.app).get(path)).body, /Ne plus recevoir cette alerte/);
      const left = await seeded.app.inject({
        method: 'POST',
        url: path,
        payload: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(left.statusCode, 200);
      assert.match(left.body, /Vous ne recevrez plus cette alerte\./);
      await publish({ [AGEING_TOO]: 'Bus numérique pour les aînés' });
      assert.equal((await run(new Date(now + 10 * DAY))).due, 0);
      assert.equal(inboxOf('lectrice@exemple.test').length, 3);
      assert.equal((await seeded.app.inject({ method: 'POST', url: path })).statusCode, 404);
    });

    test('bad input gets its message next to the field, and a forged link nothing', async () => {
      const reader = new Agent(seeded.app);
      await reader.get('/alertes/nouvelle?q=jardin');
      const wrong = await reader.post('/alertes', { q: 'jardin', email: 'pas-une-adresse', frequency: 'weekly' });
      assert.equal(wrong.statusCode, 400);
      assert.match(
        wrong.body.replace(/\u00a0/g, ' '),
        /id="champ-email-erreur">« pas-une-adresse » n’est pas une adresse e-mail valide\./,
      );
      const noFrequency = await reader.post('/alertes', { q: 'jardin', email: 'a@exemple.test' });
      assert.equal(noFrequency.statusCode, 400);
      assert.match(noFrequency.body, /Choisissez chaque jour ou chaque semaine\./);
      assert.equal(inboxOf('a@exemple.test').length, 0);
      const forged = await reader.get('/alertes/confirmer/1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
      assert.equal(forged.statusCode, 404);
      const missingCsrf = await reader.post(
        '/alertes',
        { q: 'jardin', email: 'a@exemple.test', frequency: 'weekly' },
        { csrf: false },
      );
      assert.equal(missingCsrf.statusCode, 403);
    });
  });
}
