import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { inviteUser } from '../src/accounts/roles.service.js';
import { loadFiches } from '../src/actions/actions.repository.js';
import { pickContent } from '../src/actions/fiche.js';
import { fichePath, structurePath } from '../src/core/paths.js';
import { createMailer } from '../src/mail/mailer.js';
import { saveFiche, submitFiche } from '../src/publishing/publishing.service.js';
import { Agent, acceptInvitation } from './helpers/agent.js';
import { openSeededApp } from './helpers/databases.js';
import { tempDir } from './helpers/processes.js';
import { missing } from './helpers/tools.js';

const run = promisify(execFile);
// vnu-jar gives the path of the checker's jar.
const VNU_JAR = String(createRequire(import.meta.url)('vnu-jar'));

// The Nu HTML checker (vnu, the W3C's) reads every kind of page the site serves, as a browser
// receives it: the public pages, the forms with their errors, the contributors' space.
describe('every kind of page is valid HTML for the Nu HTML checker', { skip: missing('java') }, () => {
  let seeded: Awaited<ReturnType<typeof openSeededApp>>;
  let admin: Agent;
  let editor: Agent;
  let ficheId: number;
  let structureId: number;
  let structureAddress: string;
  let ficheAddress: string;

  before(async () => {
    seeded = await openSeededApp('pglite');
    const { handle, app, config } = seeded;
    const fiche = await handle.db
      .selectFrom('actions')
      .innerJoin('structures', 'structures.id', 'actions.structure_id')
      .select(['actions.id', 'actions.title', 'structures.id as structureId', 'structures.name as structureName'])
      .orderBy('actions.id')
      .executeTakeFirstOrThrow();
    ficheId = fiche.id;
    const mailer = createMailer(config, { info: () => {} });
    await inviteUser(handle.db, mailer, config.publicUrl, null, { email: 'admin@essaim.test', isAdmin: true });
    await inviteUser(handle.db, mailer, config.publicUrl, null, {
      email: 'redaction@centre.test',
      structureIds: [fiche.structureId],
    });
    admin = await acceptInvitation(app, config.dataDir, 'admin@essaim.test', 'Admin');
    editor = await acceptInvitation(app, config.dataDir, 'redaction@centre.test', 'Rédactrice');
    structureAddress = structurePath(fiche.structureId, fiche.structureName);
    structureId = fiche.structureId;
    // Contact details, so that the structure, the fiche and the contact form show them.
    await handle.db
      .updateTable('structures')
      .set({
        street_address: '3 place de la Mairie',
        postal_code: '82000',
        commune_code: '82121',
        commune_name: 'Montauban',
        phone: '05 63 12 34 56',
        website: 'https://centre.example/',
        contact_email: 'accueil@centre.example',
        contact_role: 'Accueil',
      })
      .where('id', '=', fiche.structureId)
      .execute();
    ficheAddress = fichePath(fiche.id, fiche.title);
    // An edit of the published fiche, submitted: the review page shows its word diff.
    const { id: userId } = await handle.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'redaction@centre.test')
      .executeTakeFirstOrThrow();
    const writer = {
      id: userId,
      email: '',
      name: 'Rédactrice',
      isAdmin: false,
      structureIds: [fiche.structureId],
      departementCodes: [],
    };
    const [stored] = await loadFiches(handle.db, [fiche.id]);
    const content = { ...pickContent(stored), summary: `${stored.summary ?? ''} Nouvelle saison en 2026.` };
    await saveFiche(handle.db, writer, { actionId: fiche.id, structureId: fiche.structureId, content, baseVersion: 0 });
    await submitFiche(handle.db, { mailer, publicUrl: config.publicUrl }, writer, fiche.id, 1);
  });
  after(() => seeded.close());

  it('finds no error in 38 pages, a refused form among them', async () => {
    const visitor = new Agent(seeded.app);
    const pages: Array<[string, Agent, string]> = [
      ['accueil', visitor, '/'],
      ['recherche', visitor, '/actions?q=seniors&sort=budget'],
      ['recherche-vide', visitor, '/actions?q=xqzwv'],
      ['fiche', visitor, ficheAddress],
      ['structure', visitor, structureAddress],
      ['departement', visitor, '/departements/59'],
      ['statistiques', visitor, '/statistiques?q=numérique'],
      ['api', visitor, '/api/v1/docs'],
      ['connexion', visitor, '/connexion'],
      ['mot-de-passe', visitor, '/mot-de-passe-oublie'],
      ['alerte', visitor, '/alertes/nouvelle?q=seniors'],
      ['introuvable', visitor, '/nulle-part'],
      ['mentions-legales', visitor, '/mentions-legales'],
      ['donnees-personnelles', visitor, '/donnees-personnelles'],
      ['accessibilite', visitor, '/accessibilite'],
      ['contact', visitor, '/contact'],
      ['devenir-contributeur', visitor, '/devenir-contributeur'],
      ['plan-du-site', visitor, '/plan-du-site'],
      ['espace', admin, '/espace'],
      ['relecture', admin, '/espace/relecture'],
      ['structures', admin, '/espace/structures'],
      ['structure-form', admin, '/espace/structures/nouvelle'],
      ['vocabulaires', admin, '/espace/vocabulaires'],
      ['utilisateurs', admin, '/espace/utilisateurs'],
      ['invitation', admin, '/espace/invitations/nouvelle'],
      ['mes-fiches', editor, '/espace/fiches'],
      ['nouvelle-fiche', editor, '/espace/fiches/nouvelle'],
      ['fiche-espace', editor, `/espace/fiches/${ficheId}`],
      ['fiche-editeur', editor, `/espace/fiches/${ficheId}/modifier`],
      ['historique', editor, `/espace/fiches/${ficheId}/historique`],
      ['archiver', admin, `/espace/fiches/${ficheId}/archiver`],
      ['relecture-modification', admin, `/espace/fiches/${ficheId}`],
      ['corriger', admin, `/espace/fiches/${ficheId}/corriger`],
      ['nouvelle-fiche-admin', admin, '/espace/fiches/nouvelle'],
      ['coordonnees', editor, `/espace/structures/${structureId}/coordonnees`],
      ['contacter', visitor, `${structureAddress}/contact?fiche=${ficheId}`],
    ];
    const dir = await tempDir('essaim-html-');
    try {
      const files: string[] = [];
      for (const [name, agent, url] of pages) {
        const response = await agent.get(url);
        assert.match(String(response.headers['content-type']), /text\/html/, url);
        assert.equal(response.statusCode, name === 'introuvable' ? 404 : 200, url);
        files.push(path.join(dir.dir, `${name}.html`));
        await writeFile(files.at(-1) as string, response.body);
      }
      // A form refused with its errors: the summary, the fields marked invalid.
      const refused = await editor.post('/espace/fiches', { title: 'x', structure: 'abc' });
      assert.equal(refused.statusCode, 400);
      files.push(path.join(dir.dir, 'fiche-refusee.html'));
      await writeFile(files.at(-1) as string, refused.body);
      const unsent = await visitor.post(`${structureAddress}/contact`, { name: '', email: 'x', message: 'court' });
      assert.equal(unsent.statusCode, 400);
      files.push(path.join(dir.dir, 'message-refuse.html'));
      await writeFile(files.at(-1) as string, unsent.body);
      assert.equal(files.length, 38);
      const { stdout } = await run(
        'java',
        ['-jar', VNU_JAR, '--errors-only', '--format', 'json', '--stdout', '--exit-zero-always', ...files],
        { maxBuffer: 1 << 24 },
      );
      const messages = (JSON.parse(stdout) as { messages: Array<{ url: string; message: string; lastLine?: number }> })
        .messages;
      assert.deepEqual(
        messages.map((m) => `${path.basename(m.url)}:${m.lastLine ?? '?'} ${m.message}`),
        [],
      );
    } finally {
      await dir.remove();
    }
  });
});
