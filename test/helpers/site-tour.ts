import { inviteUser } from '../../src/accounts/roles.service.js';
import { loadFiches } from '../../src/actions/actions.repository.js';
import { pickContent } from '../../src/actions/fiche.js';
import { fichePath, structurePath } from '../../src/core/paths.js';
import { addFigures } from '../../src/figures/figures.repository.js';
import { lastMonths } from '../../src/figures/months.js';
import { addMonths, reminderToken, sendReminders } from '../../src/freshness/reminders.service.js';
import { createMailer } from '../../src/mail/mailer.js';
import { buildOpenData } from '../../src/opendata/opendata.service.js';
import { saveFiche, submitFiche } from '../../src/publishing/publishing.service.js';
import { acceptInvitation } from './agent.js';
import { openSeededApp } from './databases.js';

/** Who looks at a page of the tour. */
export type Role = 'visitor' | 'admin' | 'editor';

/** The accounts of the tour, with the password every test user chooses. */
export const TOUR_ACCOUNTS = { admin: 'admin@essaim.test', editor: 'redaction@centre.test' } as const;

/**
 * The seeded app set up so that every kind of page has something to show: an admin, an editor
 * of the first fiche's structure, that structure's contact details, and an edit of the fiche
 * submitted for review. Returns the pages, each with who looks at it: what the Nu HTML checker
 * reads and what the browser photographs.
 */
export async function openSiteTour() {
  // ProConnect configured, so that the login page shows its button; no page of the tour calls it.
  const seeded = await openSeededApp('pglite', {
    PROCONNECT_ISSUER: 'https://proconnect.invalid/api/v2',
    PROCONNECT_CLIENT_ID: 'essaim',
    PROCONNECT_CLIENT_SECRET: 'secret',
  });
  const { handle, app, config } = seeded;
  const fiche = await handle.db
    .selectFrom('actions')
    .innerJoin('structures', 'structures.id', 'actions.structure_id')
    .select(['actions.id', 'actions.title', 'structures.id as structureId', 'structures.name as structureName'])
    .orderBy('actions.id')
    .executeTakeFirstOrThrow();
  const mailer = createMailer(config, { info: () => {} });
  await inviteUser(handle.db, mailer, config.publicUrl, null, { email: TOUR_ACCOUNTS.admin, isAdmin: true });
  await inviteUser(handle.db, mailer, config.publicUrl, null, {
    email: TOUR_ACCOUNTS.editor,
    structureIds: [fiche.structureId],
  });
  const agents = {
    admin: await acceptInvitation(app, config.dataDir, TOUR_ACCOUNTS.admin, 'Admin'),
    editor: await acceptInvitation(app, config.dataDir, TOUR_ACCOUNTS.editor, 'Rédactrice'),
  };
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
  const { id: userId } = await handle.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', TOUR_ACCOUNTS.editor)
    .executeTakeFirstOrThrow();
  const writer = {
    id: userId,
    email: TOUR_ACCOUNTS.editor,
    name: 'Rédactrice',
    isAdmin: false,
    structureIds: [fiche.structureId],
    departementCodes: [],
  };
  const [stored] = await loadFiches(handle.db, [fiche.id]);
  const content = { ...pickContent(stored), summary: `${stored.summary ?? ''} Nouvelle saison en 2026.` };
  await saveFiche(handle.db, writer, { actionId: fiche.id, structureId: fiche.structureId, content, baseVersion: 0 });
  await submitFiche(handle.db, { mailer, publicUrl: config.publicUrl }, writer, fiche.id, 1);
  await handle.db
    .insertInto('fiche_reports')
    .values({
      action_id: fiche.id,
      kind: 'personal_data',
      text: 'Le téléphone personnel d’une bénévole figure dans la description.',
      email: 'lecteur@exemple.test',
    })
    .execute();
  await buildOpenData(handle.db, config.dataDir, { publicUrl: config.publicUrl, licence: config.site.licence });
  const reminder = await remindedAndRead(seeded, fiche.id);
  return {
    seeded,
    agents,
    pages: tourPages(
      fiche.id,
      fichePath(fiche.id, fiche.title),
      fiche.structureId,
      structurePath(fiche.structureId, fiche.structureName),
      reminder,
    ),
  };
}

/**
 * A year and a half later: every fiche reminded, those unanswered « À vérifier », and a few
 * months of reading of the tour's fiche. Returns the link of its reminder.
 */
async function remindedAndRead(seeded: Awaited<ReturnType<typeof openSeededApp>>, ficheId: number): Promise<string> {
  const { handle, config } = seeded;
  const mailer = createMailer(config, { info: () => {} });
  const now = new Date();
  await sendReminders(handle.db, mailer, config.publicUrl, config.reminders, addMonths(now, 13));
  await sendReminders(handle.db, mailer, config.publicUrl, config.reminders, addMonths(now, 19));
  const months = lastMonths(now, 4);
  await addFigures(
    handle.db,
    months.flatMap((month, i) => [
      { actionId: ficheId, month, kind: 'views' as const, count: 40 * (i + 1) },
      { actionId: ficheId, month, kind: 'downloads' as const, count: i },
    ]),
  );
  const { id } = await handle.db
    .selectFrom('fiche_reminders')
    .select('id')
    .where('action_id', '=', ficheId)
    .executeTakeFirstOrThrow();
  return `/fiches/actualite/${await reminderToken(handle.db, id)}`;
}

function tourPages(
  ficheId: number,
  ficheAddress: string,
  structureId: number,
  structureAddress: string,
  reminderLink: string,
) {
  const pages: Array<[string, Role, string]> = [
    ['accueil', 'visitor', '/'],
    ['recherche', 'visitor', '/actions?q=seniors&keyword=vieillissement&department=49&department=59&sort=budget'],
    ['recherche-vide', 'visitor', '/actions?q=xqzwv'],
    ['fiche', 'visitor', ficheAddress],
    ['structure', 'visitor', structureAddress],
    ['departement', 'visitor', '/departements/59'],
    ['statistiques', 'visitor', '/statistiques?q=numérique'],
    ['api', 'visitor', '/api/v1/docs'],
    ['connexion', 'visitor', '/connexion'],
    ['mot-de-passe', 'visitor', '/mot-de-passe-oublie'],
    ['alerte', 'visitor', '/alertes/nouvelle?q=seniors'],
    ['introuvable', 'visitor', '/nulle-part'],
    ['mentions-legales', 'visitor', '/mentions-legales'],
    ['donnees-personnelles', 'visitor', '/donnees-personnelles'],
    ['accessibilite', 'visitor', '/accessibilite'],
    ['contact', 'visitor', '/contact'],
    ['devenir-contributeur', 'visitor', '/devenir-contributeur'],
    ['plan-du-site', 'visitor', '/plan-du-site'],
    ['donnees-ouvertes', 'visitor', '/donnees-ouvertes'],
    ['contacter', 'visitor', `${structureAddress}/contact?fiche=${ficheId}`],
    ['sinspirer-visiteur', 'visitor', `${ficheAddress}/inspirer`],
    ['sinspirer', 'editor', `${ficheAddress}/inspirer`],
    ['signaler', 'visitor', `${ficheAddress}/signaler`],
    ['signalements', 'admin', '/espace/signalements'],
    ['espace', 'admin', '/espace'],
    ['relecture', 'admin', '/espace/relecture'],
    ['structures', 'admin', '/espace/structures'],
    ['structure-form', 'admin', '/espace/structures/nouvelle'],
    ['vocabulaires', 'admin', '/espace/vocabulaires'],
    ['utilisateurs', 'admin', '/espace/utilisateurs'],
    ['proconnect', 'admin', '/espace/proconnect'],
    ['proconnect-erreur', 'visitor', '/connexion/proconnect/retour?code=abc&state=def'],
    ['invitation', 'admin', '/espace/invitations/nouvelle'],
    ['archiver', 'admin', `/espace/fiches/${ficheId}/archiver`],
    ['relecture-modification', 'admin', `/espace/fiches/${ficheId}`],
    ['corriger', 'admin', `/espace/fiches/${ficheId}/corriger`],
    ['nouvelle-fiche-admin', 'admin', '/espace/fiches/nouvelle'],
    ['mes-fiches', 'editor', '/espace/fiches'],
    ['nouvelle-fiche', 'editor', '/espace/fiches/nouvelle'],
    ['fiche-espace', 'editor', `/espace/fiches/${ficheId}`],
    ['fiche-editeur', 'editor', `/espace/fiches/${ficheId}/modifier`],
    ['historique', 'editor', `/espace/fiches/${ficheId}/historique`],
    ['coordonnees', 'editor', `/espace/structures/${structureId}/coordonnees`],
    ['a-verifier', 'admin', '/espace/a-verifier'],
    ['actualite', 'visitor', reminderLink],
    ['actualite-confirmee', 'visitor', `/fiches/actualite/confirmee?fiche=${ficheId}`],
    ['recherche-a-verifier', 'visitor', '/actions?freshness=stale'],
    ['mes-statistiques', 'editor', '/espace/statistiques'],
    ['statistiques-fiche', 'editor', `/espace/statistiques?fiche=${ficheId}`],
  ];
  return pages;
}
