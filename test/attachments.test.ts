import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { inviteUser } from '../src/accounts/roles.service.js';
import { createMailer } from '../src/mail/mailer.js';
import { Agent, acceptInvitation } from './helpers/agent.js';
import { openSeededApp, testEngines } from './helpers/databases.js';
import { exportedText } from './helpers/fiches.js';
import { SAMPLE_HTML, SAMPLE_PNG, sampleDocx, sampleOdt, samplePdf } from './helpers/files.js';

const idFrom = (location: unknown) => Number(/\/espace\/fiches\/(\d+)/.exec(String(location))?.[1]);

for (const engine of testEngines()) {
  describe(`attachments: upload, checks, workflow and download (${engine})`, () => {
    let seeded: Awaited<ReturnType<typeof openSeededApp>>;
    let editor: Agent;
    let otherEditor: Agent;
    let reviewer: Agent;
    let anonymous: Agent;
    let ficheId: number;

    before(async () => {
      seeded = await openSeededApp(engine);
      const { handle, app, config } = seeded;
      const structures = await handle.db
        .selectFrom('structures')
        .select(['id', 'departement_code'])
        .orderBy('id')
        .execute();
      const [mine] = structures;
      const other = structures.find((s) => s.id !== mine.id) as (typeof structures)[number];
      const invite = (email: string, roles: { structureIds?: number[]; departementCodes?: string[] }) =>
        inviteUser(handle.db, createMailer(config, { info: () => {} }), config.publicUrl, null, { email, ...roles });
      await invite('fichiers@centre.test', { structureIds: [mine.id] });
      await invite('voisin@centre.test', { structureIds: [other.id] });
      await invite('relecture@caf.test', { departementCodes: [mine.departement_code] });
      editor = await acceptInvitation(app, config.dataDir, 'fichiers@centre.test', 'Rédactrice');
      otherEditor = await acceptInvitation(app, config.dataDir, 'voisin@centre.test', 'Voisin');
      reviewer = await acceptInvitation(app, config.dataDir, 'relecture@caf.test', 'Relecteur');
      anonymous = new Agent(app);
      await editor.get('/espace/fiches/nouvelle');
      const created = await editor.post('/espace/fiches', {
        title: 'Journal de quartier illustré',
        dimension: 'services',
        structure: String(mine.id),
        version: '0',
        intent: 'save',
      });
      assert.equal(created.statusCode, 303, created.body);
      ficheId = idFrom(created.headers.location);
    });
    after(() => seeded.close());

    const pageOf = () => `/espace/fiches/${ficheId}/fichiers`;
    const storedFiles = async () => {
      const root = path.join(seeded.config.dataDir, 'files');
      const dirs = await readdir(root).catch(() => [] as string[]);
      const lists = await Promise.all(dirs.map((d) => readdir(path.join(root, d))));
      return lists.flat().length;
    };
    const rows = () =>
      seeded.handle.db
        .selectFrom('attachments')
        .select(['id', 'file_name', 'state', 'media_type', 'size_bytes'])
        .where('action_id', '=', ficheId)
        .orderBy('id')
        .execute();
    const publicPage = async () => {
      const moved = await anonymous.get(`/actions/${ficheId}`);
      return moved.statusCode === 301 ? anonymous.get(String(moved.headers.location)) : moved;
    };
    const linkTo = (body: string, name: string) =>
      new RegExp(`href="(/fichiers/\\d+/${encodeURIComponent(name).replace(/[.()]/g, '\\$&')})"`).exec(body)?.[1];

    test('bad input: a 12 MB file, an HTML page named .pdf, a missing CSRF token; nothing is stored', async () => {
      await editor.get(pageOf());
      const big = Buffer.concat([samplePdf(), Buffer.alloc(12 * 1024 * 1024, 0x20)]);
      const tooLarge = await editor.upload(pageOf(), [{ name: 'rapport-annuel.pdf', content: big }]);
      assert.equal(tooLarge.statusCode, 413);
      assert.match(tooLarge.body, /Le fichier «\u00a0rapport-annuel\.pdf\u00a0» dépasse 10 Mo, la taille maximale/);
      assert.match(tooLarge.body, /class="error-summary"/);

      const disguised = await editor.upload(pageOf(), [
        { name: 'bilan.pdf', content: samplePdf() },
        { name: 'photo.pdf', content: SAMPLE_HTML },
      ]);
      assert.equal(disguised.statusCode, 400);
      assert.match(disguised.body, /Le contenu du fichier «\u00a0photo\.pdf\u00a0» n’est pas d’un type accepté/);
      assert.match(disguised.body, /Les fichiers acceptés sont les PDF/);

      const forged = await editor.upload(pageOf(), [{ name: 'bilan.pdf', content: samplePdf() }], { csrf: false });
      assert.equal(forged.statusCode, 403);
      assert.match(forged.body, /Ce formulaire a expiré ou ne vient pas de ce site/);

      const nothing = await editor.upload(pageOf(), []);
      assert.equal(nothing.statusCode, 400);
      assert.match(nothing.body, /Choisissez au moins un fichier à ajouter\./);

      assert.deepEqual(await rows(), [], 'no row for any refused upload, not even the valid PDF sent with the HTML');
      assert.equal(await storedFiles(), 0, 'no file left on disk');
    });

    test('only the fiche’s editors may add files; a visitor is sent to the login page', async () => {
      await otherEditor.get('/espace/fiches');
      const foreign = await otherEditor.upload(pageOf(), [{ name: 'intrus.pdf', content: samplePdf() }]);
      assert.equal(foreign.statusCode, 403);
      assert.match(foreign.body, /Vous ne pouvez pas modifier les fichiers des fiches de cette structure\./);
      await anonymous.get('/connexion');
      const visitor = await anonymous.upload(pageOf(), [{ name: 'intrus.pdf', content: samplePdf() }]);
      assert.equal(visitor.statusCode, 303);
      assert.match(String(visitor.headers.location), /^\/connexion\?suite=/);
      assert.equal(await storedFiles(), 0);
    });

    test('PDF, image and office documents are accepted by content, named with their type, pending until published', async () => {
      await editor.get(pageOf());
      const added = await editor.upload(pageOf(), [
        { name: 'Bilan 2025.pdf', content: samplePdf(), type: 'application/octet-stream' },
        { name: 'C:\\Users\\anim\\affiche', content: SAMPLE_PNG, type: 'application/octet-stream' },
        { name: 'compte-rendu.odt', content: sampleOdt() },
        { name: 'budget.docx', content: sampleDocx() },
      ]);
      assert.equal(added.statusCode, 303, added.body);
      const page = await editor.get(String(added.headers.location));
      assert.match(
        page.body,
        /Fichiers ajoutés\. Ils seront publics quand la fiche, soumise à relecture, aura été publiée\./,
      );
      assert.deepEqual(
        (await rows()).map((r) => [r.file_name, r.media_type, r.state]),
        [
          ['Bilan 2025.pdf', 'application/pdf', 'pending'],
          ['affiche.png', 'image/png', 'pending'],
          ['compte-rendu.odt', 'application/vnd.oasis.opendocument.text', 'pending'],
          ['budget.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'pending'],
        ],
      );
      assert.match(page.body, /\(PDF, \d+\u00a0octets\)/);
      assert.match(page.body, /\(texte OpenDocument, /);
      assert.match(page.body, /\(document Word, /);
      assert.equal(await storedFiles(), 4);

      const pdfUrl = linkTo(page.body, 'Bilan 2025.pdf') as string;
      assert.ok(pdfUrl, 'the list links to the file');
      const own = await editor.get(pdfUrl);
      assert.equal(own.statusCode, 200);
      assert.equal(own.headers['content-type'], 'application/pdf');
      assert.equal(own.headers['x-content-type-options'], 'nosniff');
      assert.match(String(own.headers['content-disposition']), /^attachment; filename="Bilan 2025\.pdf"/);
      assert.deepEqual(own.rawPayload, samplePdf());
      assert.equal((await reviewer.get(pdfUrl)).statusCode, 200, 'the reviewer of the département reads it');
      assert.equal((await anonymous.get(pdfUrl)).statusCode, 404, 'a draft’s file is not public');
      assert.equal((await otherEditor.get(pdfUrl)).statusCode, 404);

      // Four files are there: seven more would pass the limit of ten.
      const many = await editor.upload(
        pageOf(),
        Array.from({ length: 7 }, (_, i) => ({ name: `page-${i}.png`, content: SAMPLE_PNG })),
      );
      assert.equal(many.statusCode, 400);
      assert.match(many.body, /Une fiche compte au plus 10 fichiers\u00a0: vous pouvez encore en ajouter 6, pas 7\./);
      assert.equal((await rows()).length, 4);
    });

    test('removing a pending file deletes it; publication makes the others public and downloadable', async () => {
      const page = await editor.get(pageOf());
      const [, , odt, docx] = await rows();
      for (const file of [odt, docx]) {
        const removed = await editor.post(`${pageOf()}/${file.id}/retirer`, {});
        assert.equal(removed.statusCode, 303);
      }
      assert.ok(page.body.includes('Retirer'));
      assert.equal(await storedFiles(), 2, 'a pending file removed is deleted at once');
      assert.equal((await otherEditor.post(`${pageOf()}/${(await rows())[0].id}/retirer`, {})).statusCode, 403);

      await editor.get(`/espace/fiches/${ficheId}`);
      const workspace = await editor.get(`/espace/fiches/${ficheId}`);
      const version = /name="version" value="(\d+)"/.exec(workspace.body)?.[1] as string;
      assert.equal((await editor.post(`/espace/fiches/${ficheId}/soumettre`, { version })).statusCode, 303);
      await reviewer.get(`/espace/fiches/${ficheId}`);
      assert.equal((await reviewer.post(`/espace/fiches/${ficheId}/publier`, {})).statusCode, 303);

      const listed = await publicPage();
      assert.equal(listed.statusCode, 200);
      assert.match(listed.body, /Fichier\(s\) associé\(s\)/);
      assert.match(listed.body, /\(image PNG, \d+\u00a0octets\)/);
      const url = linkTo(listed.body, 'Bilan 2025.pdf') as string;
      const download = await anonymous.get(url);
      assert.equal(download.statusCode, 200);
      assert.match(String(download.headers['content-security-policy']), /sandbox/);
      const api = (await anonymous.get(`/api/v1/actions/${ficheId}`)).json();
      assert.deepEqual(
        api.attachments.map((a: { fileName: string; url: string }) => [a.fileName, a.url]),
        [
          ['Bilan 2025.pdf', url],
          ['affiche.png', linkTo(listed.body, 'affiche.png')],
        ],
      );
      const dump = await exportedText(seeded.handle.db, 'dump');
      assert.match(dump, /Fichier\(s\) associé\(s\)\s*:?\s*\n- Bilan 2025\.pdf\n- affiche\.png\n/);
    });

    test('a published file removed stays public until the change is published; abandoning brings it back', async () => {
      const [pdf] = await rows();
      await editor.get(pageOf());
      await editor.post(`${pageOf()}/${pdf.id}/retirer`, {});
      await editor.get(pageOf());
      await editor.upload(pageOf(), [{ name: 'programme.png', content: SAMPLE_PNG }]);
      assert.deepEqual(
        (await rows()).map((r) => [r.file_name, r.state]),
        [
          ['Bilan 2025.pdf', 'withdrawn'],
          ['affiche.png', 'public'],
          ['programme.png', 'pending'],
        ],
      );
      const shown = await publicPage();
      assert.match(shown.body, /Bilan 2025\.pdf/, 'still public while the change waits');
      assert.doesNotMatch(shown.body, /programme\.png/);
      const workspace = await editor.get(`/espace/fiches/${ficheId}`);
      assert.match(workspace.body, /Publiée · modification en cours/);
      assert.match(workspace.body, /programme\.png/);
      assert.doesNotMatch(workspace.body, /Bilan 2025\.pdf/);

      assert.equal((await editor.post(`/espace/fiches/${ficheId}/supprimer`, {})).statusCode, 303);
      assert.deepEqual(
        (await rows()).map((r) => [r.file_name, r.state]),
        [
          ['Bilan 2025.pdf', 'public'],
          ['affiche.png', 'public'],
        ],
      );
      assert.equal(await storedFiles(), 2, 'the abandoned upload is deleted');

      // Removed again and published this time: the file is gone for everyone, bytes included.
      await editor.get(pageOf());
      await editor.post(`${pageOf()}/${pdf.id}/retirer`, {});
      const page = await editor.get(`/espace/fiches/${ficheId}`);
      const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] as string;
      await editor.post(`/espace/fiches/${ficheId}/soumettre`, { version });
      await reviewer.get(`/espace/fiches/${ficheId}`);
      await reviewer.post(`/espace/fiches/${ficheId}/publier`, {});
      assert.deepEqual(
        (await rows()).map((r) => r.file_name),
        ['affiche.png'],
      );
      assert.equal(await storedFiles(), 1);
      assert.equal((await anonymous.get(`/fichiers/${pdf.id}/x.pdf`)).statusCode, 404);

      const history = await editor.get(`/espace/fiches/${ficheId}/historique`);
      assert.match(history.body, /Fichiers associés/);
      // The word diff strikes out the removed file's name and keeps the other one as it was.
      assert.match(
        history.body,
        /<del><span class="visually-hidden">supprimé\u00a0: <\/span><span>Bilan 2025\.pdf, <\/span><\/del>affiche\.png<\/td>/,
      );
    });

    test('deleting a draft deletes its files', async () => {
      await editor.get('/espace/fiches/nouvelle');
      const structureId = /name="structure"[\s\S]*?value="(\d+)"/.exec(
        (await editor.get('/espace/fiches/nouvelle')).body,
      )?.[1] as string;
      const created = await editor.post('/espace/fiches', {
        title: 'Brouillon éphémère',
        dimension: 'services',
        structure: structureId,
        version: '0',
      });
      const draftId = idFrom(created.headers.location);
      await editor.get(`/espace/fiches/${draftId}/fichiers`);
      await editor.upload(`/espace/fiches/${draftId}/fichiers`, [{ name: 'a.pdf', content: samplePdf() }]);
      const before = await storedFiles();
      await editor.get(`/espace/fiches/${draftId}`);
      assert.equal((await editor.post(`/espace/fiches/${draftId}/supprimer`, {})).statusCode, 303);
      assert.equal(await storedFiles(), before - 1);
    });
  });
}
