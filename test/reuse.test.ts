import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { inviteUser } from '../src/accounts/roles.service.js';
import { createMailer } from '../src/mail/mailer.js';
import { Agent, acceptInvitation } from './helpers/agent.js';
import { openSeededApp, testEngines } from './helpers/databases.js';
import { readPdf } from './helpers/files.js';
import { missing } from './helpers/tools.js';

for (const engine of testEngines()) {
  describe(`favourites, a user's alerts and the fiche's PDF (${engine})`, () => {
    let seeded: Awaited<ReturnType<typeof openSeededApp>>;
    let reader: Agent;
    let other: Agent;
    let fiche: { id: number; url: string; title: string };

    before(async () => {
      seeded = await openSeededApp(engine);
      const { handle, app, config } = seeded;
      const mailer = createMailer(config, { info: () => {} });
      for (const email of ['lectrice@caf.test', 'autre@caf.test']) {
        // Accounts have a role; advisers of a département are the readers who sign in.
        await inviteUser(handle.db, mailer, config.publicUrl, null, { email, departementCodes: ['49'] });
      }
      reader = await acceptInvitation(app, config.dataDir, 'lectrice@caf.test', 'Lectrice');
      other = await acceptInvitation(app, config.dataDir, 'autre@caf.test', 'Autre');
      fiche = (await new Agent(app).get('/api/v1/actions?q=rando+mollo')).json().items[0];
    });
    after(() => seeded.close());

    test('a signed-in reader stars a fiche, finds it on one page, exports it and takes it out', async () => {
      const visitor = await new Agent(seeded.app).get('/favoris');
      assert.equal(visitor.statusCode, 303);
      assert.equal(visitor.headers.location, '/connexion?suite=%2Ffavoris');
      assert.match((await new Agent(seeded.app).get(fiche.url)).body, /Se connecter pour garder cette fiche en favori/);

      const page = await reader.get(fiche.url);
      assert.match(page.body, /Ajouter à mes favoris/);
      const starred = await reader.post(`/favoris/${fiche.id}`, { suite: fiche.url });
      assert.equal(starred.statusCode, 303);
      assert.equal(starred.headers.location, fiche.url);
      assert.match((await reader.get(fiche.url)).body, /aria-pressed="true"[^>]*>.*Dans mes favoris/s);

      const list = await reader.get('/favoris');
      assert.match(list.body, /1 fiche action en favori/);
      assert.ok(list.body.includes(`href="${fiche.url}"`));
      assert.match((await other.get('/favoris')).body, /Vous n’avez pas encore de favori/);

      const csv: string[][] = parse((await reader.get('/favoris/export?format=csv')).rawPayload, {
        bom: true,
        delimiter: ';',
        from_line: 2,
      });
      assert.deepEqual(
        csv.map((row) => Number(row[0])),
        [fiche.id],
      );

      assert.equal((await reader.post('/favoris/99999', {})).statusCode, 404);
      assert.equal((await reader.post(`/favoris/${fiche.id}/retirer`, {}, { csrf: false })).statusCode, 403);
      const removed = await reader.post(`/favoris/${fiche.id}/retirer`, {});
      assert.equal(removed.headers.location, '/favoris?notice=retrait');
      assert.match((await reader.get('/favoris?notice=retrait')).body, /Fiche retirée de vos favoris\./);
      assert.match((await reader.get('/favoris')).body, /Vous n’avez pas encore de favori/);
    });

    test('a signed-in reader’s alert is active at once, listed, and only they can delete it', async () => {
      await reader.get('/alertes/nouvelle?keyword=sante');
      const saved = await reader.post('/alertes', { keyword: 'sante', frequency: 'weekly' });
      assert.equal(saved.statusCode, 200);
      assert.match(saved.body, /Alerte créée/);
      const list = await reader.get('/alertes');
      assert.match(list.body, /Mots clés\u00a0: Santé/);
      assert.match(list.body, /Envoyée chaque semaine</);
      const id = /action="\/alertes\/(\d+)\/supprimer"/.exec(list.body)?.[1];
      assert.ok(id);
      await other.get(fiche.url);
      assert.equal((await other.post(`/alertes/${id}/supprimer`, {})).statusCode, 404);
      const deleted = await reader.post(`/alertes/${id}/supprimer`, {});
      assert.equal(deleted.statusCode, 303);
      assert.match((await reader.get('/alertes?supprimee')).body, /Alerte supprimée\.[\s\S]*Vous n’avez pas d’alerte/);
    });

    test('the fiche prints as a PDF with its fields, numbered pages and its address on each', {
      skip: missing('poppler'),
    }, async () => {
      const response = await new Agent(seeded.app).get(`${fiche.url}.pdf`);
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'application/pdf');
      const pdf = await readPdf(response.rawPayload);
      assert.ok(pdf.text.includes('La rando mollo'), pdf.text.slice(0, 200));
      assert.ok(pdf.text.includes('Ressources financières mobilisées pour cette action'));
      assert.ok(pdf.text.includes('Budget'));
      // Every page says where the fiche lives and which page it is; none holds the footer alone.
      for (let page = 1; page <= pdf.pages; page++) {
        assert.match(pdf.text, new RegExp(`page ${page} / ${pdf.pages}`));
      }
      const pages = pdf.text.split('\f').filter((p) => p.trim() !== '');
      assert.equal(pages.length, pdf.pages);
      const address = `${seeded.config.publicUrl}${fiche.url}`;
      for (const page of pages) {
        assert.ok(page.includes(address), page.slice(-300));
        assert.ok(page.replace(/Essaim, le catalogue[\s\S]*$/, '').trim().length > 0, page);
      }
      // Its fonts travel with it.
      assert.ok(
        pdf.fonts.length > 0 && pdf.fonts.every((f) => f.embedded && /DejaVuSans/.test(f.name)),
        JSON.stringify(pdf.fonts),
      );
      assert.equal((await new Agent(seeded.app).get('/actions/99999-rien.pdf')).statusCode, 404);
    });

    test('every character of a fiche prints in its PDF, beyond the Latin-1 of the standard fonts', {
      skip: missing('poppler'),
    }, async () => {
      const title = 'Œuvres d’Ελένη et d’Ольга ≥ 2 ateliers – « ça va » ‰';
      await seeded.handle.db.updateTable('actions').set({ title }).where('id', '=', fiche.id).execute();
      const visitor = new Agent(seeded.app);
      const moved = await visitor.get(`/actions/${fiche.id}-x.pdf`);
      assert.equal(moved.statusCode, 301);
      const pdf = await readPdf((await visitor.get(String(moved.headers.location))).rawPayload);
      assert.ok(pdf.text.replace(/\s+/g, ' ').includes(title), pdf.text.slice(0, 300));
    });
  });
}
