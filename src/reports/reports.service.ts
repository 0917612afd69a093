import { recordAttemptWithin } from '../accounts/accounts.repository.js';
import { getFiche } from '../actions/actions.service.js';
import { can, type SessionUser, visibleScope } from '../authorization/authorization.js';
import { normalizeEmail } from '../core/email.js';
import { AppError, type FormErrors, notFound } from '../core/errors.js';
import { fichePath } from '../core/paths.js';
import { frenchSpacing, quote } from '../core/typography.js';
import type { Db, ReportKind } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import type { Mailer } from '../mail/mailer.js';
import { closeReport, findReport, insertReport, listOpenReports } from './reports.repository.js';

/** What a reader may report, as the form offers it. */
export const REPORT_KINDS: Array<{ code: ReportKind; label: string }> = [
  { code: 'wrong', label: 'Une information est fausse' },
  { code: 'outdated', label: 'La fiche n’est plus à jour' },
  { code: 'personal_data', label: 'Des données personnelles n’ont rien à y faire' },
  { code: 'other', label: 'Autre chose' },
];

/** Reports one IP may send in an hour: a few for a person, too few for a robot. */
export const REPORTS_PER_IP_HOUR = 10;
const REPORTS_PER_FICHE_HOUR = 30;
const HOUR = 60 * 60 * 1000;
const TEXT_MIN = 10;
const TEXT_MAX = 3000;

/** A reader's report as the form sends it; `website` is the field only robots fill. */
export interface ReportInput {
  kind: string;
  text: string;
  email: string;
  website: string;
}

function checkReport(input: ReportInput): { kind: ReportKind; text: string; email: string | null } {
  const errors: FormErrors = {};
  const kind = REPORT_KINDS.find((k) => k.code === input.kind)?.code;
  if (!kind) errors.kind = 'Choisissez ce que vous signalez.';
  const text = input.text.replace(/\r\n?/g, '\n').trim();
  if (text.length < TEXT_MIN) errors.text = `Dites ce qui ne va pas, en ${TEXT_MIN} caractères au moins.`;
  else if (text.length > TEXT_MAX)
    errors.text = `Votre texte doit compter au plus ${TEXT_MAX} caractères (il en compte ${text.length}).`;
  let email: string | null = null;
  if (input.email.trim() !== '') {
    try {
      email = normalizeEmail(input.email);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      errors.email = error.message;
    }
  }
  if (Object.keys(errors).length > 0 || !kind) throw AppError.form('invalid_parameter', errors);
  return { kind, text, email };
}

/**
 * Stores a reader's report on a published fiche for its département's reviewers; no account
 * needed. A form whose hidden field is filled was filled by a robot: refused, nothing stored.
 * Reports are counted by IP and by fiche under the rate limits' lock.
 */
export async function reportFiche(db: Db, ficheId: number, input: ReportInput, ip: string): Promise<void> {
  if (!(await getFiche(db, ficheId))) throw notFound('Cette fiche action n’existe pas, ou plus.');
  if (input.website.trim() !== '') {
    throw new AppError('invalid_parameter', 'Ce signalement n’a pas pu être pris en compte.', 'text');
  }
  const report = checkReport(input);
  await inTransaction(db, async (tx) => {
    const recorded = await recordAttemptWithin(
      tx,
      { kind: 'fiche_report', accountKey: `fiche:${ficheId}`, ip },
      { since: new Date(Date.now() - HOUR), perAccount: REPORTS_PER_FICHE_HOUR, perIp: REPORTS_PER_IP_HOUR },
    );
    if (!recorded) {
      throw new AppError(
        'too_many_requests',
        'Trop de signalements envoyés en une heure : réessayez plus tard.',
        'text',
      );
    }
    await insertReport(tx, { actionId: ficheId, ...report });
  });
}

/** The open reports a reviewer handles: their départements' (all for an admin). */
export function reviewerReports(db: Db, user: SessionUser) {
  return listOpenReports(db, visibleScope(user));
}

/**
 * A reviewer's decision on a report, with their note; the reader who left an address is told
 * (and the address forgotten). 403 outside the reviewer's départements, 409 once decided.
 */
export async function decideReport(
  db: Db,
  mailer: Mailer,
  publicUrl: string,
  user: SessionUser,
  reportId: number,
  decision: { state: 'handled' | 'rejected'; note: string },
): Promise<void> {
  const note = decision.note.trim() || null;
  const report = await inTransaction(db, async (tx) => {
    const found = await findReport(tx, reportId, true);
    if (!found) throw notFound('Ce signalement n’existe pas, ou plus.');
    if (!can(user, 'fiche:review', { structureId: found.structure_id, departementCode: found.departement_code })) {
      throw new AppError('forbidden', 'Ce signalement concerne une fiche d’un autre département.');
    }
    if (found.state !== 'open') throw new AppError('wrong_state', 'Ce signalement a déjà été traité.');
    await closeReport(tx, reportId, { state: decision.state, note, userId: user.id });
    return found;
  });
  if (!report.email) return;
  const outcome =
    decision.state === 'handled'
      ? 'Merci : la relecture l’a pris en compte et la fiche a été corrigée ou va l’être.'
      : 'Après vérification, la relecture n’a pas modifié la fiche.';
  await mailer.send({
    to: report.email,
    subject: frenchSpacing(`Votre signalement sur la fiche ${quote(report.title)}`),
    text: [
      'Bonjour,',
      '',
      frenchSpacing(`Vous avez signalé un problème sur la fiche ${quote(report.title)}. ${outcome}`),
      ...(note ? ['', frenchSpacing(`Note de la relecture : ${note}`)] : []),
      '',
      `${publicUrl}${fichePath(report.action_id, report.title)}`,
      '',
      'L’équipe Essaim',
    ].join('\n'),
  });
}
