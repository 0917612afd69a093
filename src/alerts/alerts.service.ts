import { randomBytes } from 'node:crypto';
import { getOrCreateSecret, recordAttemptWithin } from '../accounts/accounts.repository.js';
import type { SessionUser } from '../authorization/authorization.js';
import { normalizeEmail } from '../core/email.js';
import { AppError } from '../core/errors.js';
import { idOfSignedToken, signedToken } from '../core/signed-links.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import { addFigures } from '../figures/figures.repository.js';
import { parisMonth } from '../figures/months.js';
import type { Mailer } from '../mail/mailer.js';
import type { SearchRequest } from '../search/search.model.js';
import { describeSearch, searchHref, searchParamsOf, searchRequestOf } from '../search/search.params.js';
import { countResults, matchingActionIds, search } from '../search/search.service.js';
import {
  claimDeliveries,
  confirmSavedSearch,
  countUnconfirmed,
  deleteSavedSearch,
  findSavedSearch,
  insertSavedSearch,
  listDueSavedSearches,
  listUnsentPublishedIds,
  listUserSavedSearches,
  markRun,
  type SavedSearchRow,
} from './alerts.repository.js';

export const FREQUENCIES = ['daily', 'weekly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];
export const FREQUENCY_LABELS: Record<Frequency, string> = { daily: 'chaque jour', weekly: 'chaque semaine' };

const HOUR = 60 * 60_000;
const MAX_PER_IP = 10;
const MAX_PER_ADDRESS = 3;
const MAX_UNCONFIRMED = 5;
// An alert lists this many fiches at most; the link to the search shows the rest.
const MAX_LISTED = 50;

async function linkSecret(db: Db): Promise<Buffer> {
  return Buffer.from(await getOrCreateSecret(db, 'alerts', randomBytes(32).toString('base64url')));
}

/** The token of a saved search's link: its id and a signature, so that nothing is stored. */
export async function linkToken(db: Db, purpose: 'confirm' | 'unsubscribe', id: number): Promise<string> {
  return signedToken(await linkSecret(db), purpose, id);
}

/** The saved search a link's token names, when its signature holds. */
async function savedSearchOfToken(db: Db, purpose: 'confirm' | 'unsubscribe', token: string) {
  const id = idOfSignedToken(await linkSecret(db), purpose, token);
  return id === undefined ? undefined : findSavedSearch(db, id);
}

function invalidLink(): AppError {
  return new AppError('not_found', 'Ce lien ne correspond à aucune alerte : elle a peut-être déjà été supprimée.');
}

/** What a reader asks for: a search, how often, and an address when not signed in. */
export interface AlertRequest {
  search: SearchRequest;
  frequency: string;
  email?: string;
  user: SessionUser | null;
  ip: string;
}

/**
 * Saves a search with its alert. A signed-in user's alert is active at once; a visitor's waits
 * for the link sent to the address (double opt-in), and requests are limited per IP and address.
 */
export async function saveSearch(
  db: Db,
  mailer: Mailer,
  publicUrl: string,
  request: AlertRequest,
): Promise<{ id: number; confirmed: boolean }> {
  if (!(FREQUENCIES as readonly string[]).includes(request.frequency)) {
    throw new AppError('invalid_frequency', 'Choisissez chaque jour ou chaque semaine.', 'frequency');
  }
  const frequency = request.frequency as Frequency;
  // A filter that no longer exists is refused now rather than failing every night.
  const counts = await countResults(db, request.search);
  const query = searchParamsOf(request.search);
  if (request.user) {
    const id = await insertSavedSearch(db, {
      user_id: request.user.id,
      email: request.user.email,
      query,
      frequency,
      confirmed_at: new Date(),
    });
    return { id, confirmed: true };
  }
  const email = normalizeEmail(request.email ?? '');
  const tooMany = () =>
    new AppError('too_many_requests', 'Trop de demandes d’alerte. Réessayez dans une heure.', 'email');
  if ((await countUnconfirmed(db, email)) >= MAX_UNCONFIRMED) throw tooMany();
  const id = await inTransaction(db, async (tx) => {
    const recorded = await recordAttemptWithin(
      tx,
      { kind: 'alert_request', accountKey: email, ip: request.ip },
      { since: new Date(Date.now() - HOUR), perAccount: MAX_PER_ADDRESS, perIp: MAX_PER_IP },
    );
    if (!recorded) throw tooMany();
    return insertSavedSearch(tx, { user_id: null, email, query, frequency, confirmed_at: null });
  });
  await mailer.send({
    to: email,
    subject: 'Confirmez votre alerte Essaim',
    text: [
      'Bonjour,',
      '',
      `Vous avez demandé à recevoir ${FREQUENCY_LABELS[frequency]} les nouvelles fiches actions de cette recherche :`,
      describeSearch(counts.q, counts.counts),
      '',
      'Pour l’activer, ouvrez ce lien :',
      `${publicUrl}/alertes/confirmer/${await linkToken(db, 'confirm', id)}`,
      '',
      'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : rien ne vous sera envoyé.',
      '',
      'L’équipe Essaim',
    ].join('\n'),
  });
  return { id, confirmed: false };
}

/** Activates a visitor's alert from the link of its confirmation e-mail. */
export async function confirmAlert(db: Db, token: string): Promise<SavedSearchRow> {
  const saved = await savedSearchOfToken(db, 'confirm', token);
  if (!saved) throw invalidLink();
  await confirmSavedSearch(db, saved.id);
  return saved;
}

/** The alert an unsubscribe link names, to show what it stops. */
export async function alertOfUnsubscribeLink(db: Db, token: string): Promise<SavedSearchRow> {
  const saved = await savedSearchOfToken(db, 'unsubscribe', token);
  if (!saved) throw invalidLink();
  return saved;
}

/** Stops an alert from its e-mail's link: the link is the proof, no account needed. */
export async function unsubscribe(db: Db, token: string): Promise<void> {
  const saved = await savedSearchOfToken(db, 'unsubscribe', token);
  if (!saved) throw invalidLink();
  await deleteSavedSearch(db, saved.id);
}

/** Deletes one of a user's alerts. */
export async function deleteUserAlert(db: Db, user: SessionUser, id: number): Promise<void> {
  const saved = await findSavedSearch(db, id);
  if (!saved || saved.user_id !== user.id) throw new AppError('not_found', 'Cette alerte n’existe pas.');
  await deleteSavedSearch(db, id);
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('fr-FR')} ${n === 1 ? one : many}`;
}

/** What a run of the alerts did. */
export interface AlertRun {
  due: number;
  sent: number;
  fiches: number;
  failed: number;
}

/**
 * Sends the alerts that are due: for each, the published fiches first published since it was
 * saved that match its search and that it never sent. A fiche is recorded as sent in the same
 * transaction as the e-mail goes: a failed e-mail records nothing, and two runs at once never
 * send a fiche twice.
 */
export async function sendDueAlerts(
  db: Db,
  mailer: Mailer,
  publicUrl: string,
  now = new Date(),
  log: (message: string) => void = () => {},
): Promise<AlertRun> {
  const due = await listDueSavedSearches(db, now);
  const run: AlertRun = { due: due.length, sent: 0, fiches: 0, failed: 0 };
  for (const saved of due) {
    try {
      const count = await sendAlert(db, mailer, publicUrl, saved);
      if (count > 0) {
        run.sent++;
        run.fiches += count;
      }
      await markRun(db, saved.id, now);
    } catch (error) {
      run.failed++;
      log(`Alerte ${saved.id} (${saved.email}) : ${(error as Error).message}`);
    }
  }
  return run;
}

async function sendAlert(db: Db, mailer: Mailer, publicUrl: string, saved: SavedSearchRow): Promise<number> {
  const request = searchRequestOf(saved.query);
  const candidates = await listUnsentPublishedIds(db, saved.id, saved.created_at);
  if (candidates.length === 0) return 0;
  return inTransaction(db, async (tx) => {
    const matching: number[] = [];
    for await (const ids of await matchingActionIds(tx, { ...request, actionIds: candidates })) matching.push(...ids);
    const claimed = await claimDeliveries(tx, saved.id, matching);
    if (claimed.length === 0) return 0;
    const month = parisMonth(new Date());
    await addFigures(
      tx,
      claimed.map((actionId) => ({ actionId, month, kind: 'alert_listings' as const, count: 1 })),
    );
    const listed = await search(tx, {
      ...request,
      actionIds: claimed.slice(0, MAX_LISTED),
      sort: 'recent',
      perPage: MAX_LISTED,
    });
    const unsubscribeUrl = `${publicUrl}/alertes/desabonner/${await linkToken(tx, 'unsubscribe', saved.id)}`;
    const searchUrl = `${publicUrl}${searchHref('/actions', { q: listed.q, page: 1, filters: request.filters ?? {} })}`;
    const fiches = plural(claimed.length, 'nouvelle fiche action', 'nouvelles fiches actions');
    await mailer.send({
      to: saved.email,
      subject: `Essaim : ${fiches} pour votre recherche`,
      headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      text: [
        'Bonjour,',
        '',
        `${fiches.charAt(0).toUpperCase()}${fiches.slice(1)} ${claimed.length === 1 ? 'correspond' : 'correspondent'} à votre recherche :`,
        describeSearch(listed.q, listed.facets),
        '',
        ...listed.items.flatMap((item) => [
          `• ${item.title}`,
          `  ${item.structure.name} — ${item.structure.department.name} (${item.structure.department.code})`,
          `  ${publicUrl}${item.path}`,
          '',
        ]),
        ...(claimed.length > MAX_LISTED ? [`Et ${claimed.length - MAX_LISTED} autres.`, ''] : []),
        `Toute la recherche : ${searchUrl}`,
        '',
        `Vous recevez ce message ${FREQUENCY_LABELS[saved.frequency]} parce que cette recherche a été enregistrée sur Essaim avec cette adresse.`,
        `Pour ne plus le recevoir, un clic suffit : ${unsubscribeUrl}`,
      ].join('\n'),
    });
    return claimed.length;
  });
}

/** A search with its counts and its description in words, as an alert's pages show what it follows. */
export async function describeAlertSearch(db: Db, request: SearchRequest) {
  const counts = await countResults(db, request);
  return { counts, description: describeSearch(counts.q, counts.counts) };
}

/** The user's alerts, each with the search it follows and that search in words. */
export async function listUserAlerts(db: Db, user: SessionUser) {
  const saved = await listUserSavedSearches(db, user.id);
  return Promise.all(
    saved.map(async (s) => {
      const search = searchRequestOf(s.query);
      return {
        id: s.id,
        search,
        description: (await describeAlertSearch(db, search)).description,
        frequency: s.frequency,
        confirmed: s.confirmed_at !== null,
      };
    }),
  );
}
