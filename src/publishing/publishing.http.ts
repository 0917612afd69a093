import type { FileStorage } from '../attachments/storage.js';
import { notFound } from '../core/errors.js';
import type { Db } from '../db/database.js';
import type { Notifier } from './workflow.js';

/** What the publishing pages work with. */
export interface PublishingDeps {
  db: Db;
  notifier: Notifier;
  storage: FileStorage;
}

/** What the space's pages say after a redirect, named in the address so that no state is kept. */
export const NOTICES: Record<string, string> = {
  enregistree: 'Brouillon enregistré. Il n’est visible que de votre structure et de la relecture.',
  soumise: 'Fiche soumise à relecture : les relecteurs du département sont prévenus par e-mail.',
  renvoyee: 'La structure est prévenue des modifications demandées.',
  publiee: 'Fiche publiée : elle est visible de tous et dans la recherche.',
  archivee: 'Fiche archivée : elle n’est plus publique.',
  restauree: 'Fiche restaurée : elle est de nouveau publique.',
  abandonnee: 'Modifications abandonnées : la fiche publiée reste telle qu’elle était.',
  supprimee: 'Brouillon supprimé.',
  actualite: 'Fiche confirmée « Toujours d’actualité » : elle est à jour à la date d’aujourd’hui.',
  inspiree:
    'Brouillon créé à partir de la fiche d’un autre centre : adaptez-le à votre action avec « Modifier », puis soumettez-le à la relecture.',
};

/** A fiche's number in a path of the space; 404 for anything else, as for an unknown fiche. */
export function parseFicheId(raw: string): number {
  if (!/^\d{1,9}$/.test(raw)) throw notFound('Cette fiche action n’existe pas, ou plus.');
  return Number(raw);
}

/** The version a form was opened at; -1 when it sent none, which no version matches. */
export function parseVersion(value: string | undefined): number {
  return value && /^\d{1,9}$/.test(value) ? Number(value) : -1;
}
