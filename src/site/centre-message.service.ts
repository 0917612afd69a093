import { recordAttemptWithin } from '../accounts/accounts.repository.js';
import { getFiche } from '../actions/actions.service.js';
import { normalizeEmail } from '../core/email.js';
import { AppError, type FormErrors, notFound } from '../core/errors.js';
import { fichePath, structurePath } from '../core/paths.js';
import { frenchSpacing, quote } from '../core/typography.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import type { Mailer } from '../mail/mailer.js';
import { getStructureContact } from '../structures/structures.repository.js';

/** What a reader writes to a centre. */
export interface CentreMessage {
  name: string;
  email: string;
  message: string;
  /** The fiche the reader writes about, when they came from one. */
  ficheId?: number;
}

const HOUR = 60 * 60 * 1000;
/** Messages one sender's address may send in an hour: enough for a person, too few for a robot. */
export const MESSAGES_PER_HOUR = 5;
// A whole centre or library may write from one connection.
const MESSAGES_PER_IP_HOUR = 10;
const NAME_MAX = 100;
const MESSAGE_MIN = 20;
const MESSAGE_MAX = 5000;

/** A structure that takes messages, and the fiche the message is about when it is one of its published ones. */
export async function messageRecipient(db: Db, structureId: number, ficheId?: number) {
  const structure = await getStructureContact(db, structureId);
  if (!structure) throw notFound('Cette structure n’existe pas, ou plus.');
  const fiche = ficheId === undefined ? undefined : await getFiche(db, ficheId);
  return {
    structure,
    fiche: fiche && fiche.structure.id === structureId ? { id: fiche.id, title: fiche.title } : undefined,
  };
}

function checkMessage(input: CentreMessage): { name: string; email: string; message: string } {
  const errors: FormErrors = {};
  const name = input.name.replace(/\s+/g, ' ').trim();
  if (name === '') errors.name = 'Indiquez votre nom : le centre saura à qui il répond.';
  else if (name.length > NAME_MAX) errors.name = `Votre nom doit compter au plus ${NAME_MAX} caractères.`;
  let email = '';
  try {
    email = normalizeEmail(input.email);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    errors.email =
      input.email.trim() === ''
        ? 'Indiquez votre adresse e-mail : le centre vous répondra à cette adresse.'
        : error.message;
  }
  const message = input.message.replace(/\r\n?/g, '\n').trim();
  if (message.length < MESSAGE_MIN) {
    errors.message = `Votre message doit compter au moins ${MESSAGE_MIN} caractères (il en compte ${message.length}).`;
  } else if (message.length > MESSAGE_MAX) {
    errors.message = `Votre message doit compter au plus ${MESSAGE_MAX} caractères (il en compte ${message.length}).`;
  }
  if (Object.keys(errors).length > 0) throw AppError.form('invalid_parameter', errors);
  return { name, email, message };
}

// The centre's copy first: when the mail server refuses it, the reader is told that nothing left.
async function relay(mailer: Mailer, message: Parameters<Mailer['send']>[0]): Promise<void> {
  try {
    await mailer.send(message);
  } catch {
    throw new AppError(
      'mail_unavailable',
      'Votre message n’a pas pu être envoyé : le serveur de messagerie ne répond pas. Rien n’est parti ; réessayez dans quelques minutes.',
    );
  }
}

// Our lines with French spacing around the reader's message, left as they wrote it.
function quoted(before: string[], message: string, after: string[]): string {
  const ours = (lines: string[]) => lines.map(frenchSpacing);
  return [...ours(before), '-----', message, '-----', '', ...ours(after), '', 'L’équipe Essaim'].join('\n');
}

/**
 * Relays a reader's message to a structure's contact address, which the reader never sees, with
 * the reader's address to answer to, and sends the reader a copy. Nothing of the message is
 * stored: only the attempt, by sender and by IP, for the rate limit (purged after a day).
 */
export async function sendCentreMessage(
  db: Db,
  mailer: Mailer,
  site: { publicUrl: string },
  structureId: number,
  input: CentreMessage,
  ip: string,
): Promise<{ structureName: string; email: string }> {
  const { structure, fiche } = await messageRecipient(db, structureId, input.ficheId);
  if (!structure.contact_email) {
    throw new AppError(
      'not_found',
      'Cette structure n’a pas donné d’adresse où lui écrire : appelez-la ou passez par son site.',
    );
  }
  const { name, email, message } = checkMessage(input);
  await inTransaction(db, async (tx) => {
    const recorded = await recordAttemptWithin(
      tx,
      { kind: 'contact_message', accountKey: email, ip },
      { since: new Date(Date.now() - HOUR), perAccount: MESSAGES_PER_HOUR, perIp: MESSAGES_PER_IP_HOUR },
    );
    if (!recorded) {
      throw new AppError(
        'too_many_requests',
        'Trop de messages envoyés en une heure depuis cette adresse e-mail ou cette connexion : réessayez plus tard.',
        'message',
      );
    }
  });
  const about = fiche ? ` au sujet de la fiche ${quote(fiche.title)}` : '';
  const ficheLine = fiche ? [`Fiche : ${site.publicUrl}${fichePath(fiche.id, fiche.title)}`, ''] : [];
  await relay(mailer, {
    to: structure.contact_email,
    replyTo: `${name.replace(/["\\]/g, '')} <${email}>`,
    subject: frenchSpacing(`Message de ${name} via Essaim${about}`),
    text: quoted(
      [`${name} (${email}) vous écrit depuis la page de ${structure.name} sur Essaim${about}.`, ...ficheLine],
      message,
      [
        'Pour lui répondre, répondez simplement à ce courriel : la réponse partira à son adresse.',
        `Vos coordonnées publiques : ${site.publicUrl}${structurePath(structure.id, structure.name)}`,
      ],
    ),
  });
  await mailer.send({
    to: email,
    subject: frenchSpacing(`Copie de votre message à ${structure.name}`),
    text: quoted(
      [
        'Bonjour,',
        '',
        `Voici le message que vous avez envoyé à ${structure.name} par Essaim${about}. Le centre vous répondra directement à cette adresse.`,
        '',
      ],
      message,
      ['Essaim ne conserve pas votre message. Si vous n’êtes pas à l’origine de cet envoi, ignorez ce courriel.'],
    ),
  });
  return { structureName: structure.name, email };
}
