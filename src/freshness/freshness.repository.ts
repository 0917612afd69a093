import { sql } from 'kysely';
import type { Db, Freshness } from '../db/database.js';

// A fiche's last edit or confirmation: `greatest` skips a null checked_at.
const FRESH_AT = sql<Date>`greatest(a.updated_at, a.checked_at)`;

/** A published fiche a reminder names. */
export interface ReminderFiche {
  id: number;
  title: string;
  structure_id: number;
  structure_name: string;
  status_code: string | null;
  start_month: string | null;
  published_at: Date | null;
  fresh_at: Date;
}

/** Published fiches last edited or confirmed before `before` that no reminder has named since, by structure. */
export async function listDueFiches(db: Db, before: Date): Promise<ReminderFiche[]> {
  const { rows } = await sql<ReminderFiche>`
    select a.id, a.title, a.structure_id, s.name as structure_name, a.status_code, a.start_month, a.published_at,
      ${FRESH_AT} as fresh_at
    from actions a join structures s on s.id = a.structure_id
    where a.publication = 'published' and ${FRESH_AT} <= ${before}
      and not exists (select 1 from fiche_reminders r where r.action_id = a.id and r.period_start = ${FRESH_AT})
    order by a.structure_id, a.id`.execute(db);
  return rows;
}

/**
 * Records one reminder per fiche for its current period, unless one exists already (another
 * run got there first, or the fiche was edited since it was listed); returns the fiches it recorded, each with its reminder's id. The
 * period is read here rather than passed in: a JavaScript date would lose its microseconds.
 */
export async function claimReminders(
  tx: Db,
  actionIds: number[],
  sentAt: Date,
  recipients: number,
  dueBefore: Date,
): Promise<Array<{ action_id: number; id: number }>> {
  if (actionIds.length === 0) return [];
  const { rows } = await sql<{ action_id: number; id: number }>`
    insert into fiche_reminders (action_id, period_start, sent_at, recipients)
    select a.id, ${FRESH_AT}, ${sentAt}, ${recipients} from actions a
    where a.id = any(${actionIds}::int[]) and a.publication = 'published' and ${FRESH_AT} <= ${dueBefore}
    on conflict (action_id, period_start) do nothing
    returning action_id, id`.execute(tx);
  return rows;
}

/** Sets these fiches' freshness; their search rows must be written again in the same transaction. */
export async function setFreshness(tx: Db, actionIds: number[], freshness: Freshness): Promise<void> {
  if (actionIds.length === 0) return;
  await tx.updateTable('actions').set({ freshness }).where('id', 'in', actionIds).execute();
}

/**
 * Published fiches, not flagged yet, whose reminder for their current period was sent before
 * `sentBefore` and never answered: neither edited nor confirmed since.
 */
export async function listUnanswered(db: Db, sentBefore: Date): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    select a.id from actions a
      join fiche_reminders r on r.action_id = a.id and r.period_start = ${FRESH_AT}
    where a.publication = 'published' and a.freshness <> 'stale'
      and r.answered_at is null and r.sent_at <= ${sentBefore}
    order by a.id`.execute(db);
  return rows.map((r) => r.id);
}

/** A reminder with its fiche, for its link. */
export async function findReminder(db: Db, id: number) {
  return db
    .selectFrom('fiche_reminders as r')
    .innerJoin('actions as a', 'a.id', 'r.action_id')
    .innerJoin('structures as s', 's.id', 'a.structure_id')
    .select([
      'r.id',
      'r.action_id',
      'r.period_start',
      'r.sent_at',
      'r.answered_at',
      'a.title',
      'a.publication',
      'a.updated_at',
      'a.checked_at',
      's.name as structure_name',
    ])
    .where('r.id', '=', id)
    .executeTakeFirst();
}

/** Marks a reminder answered; false when it was already, so that its link serves once. */
export async function answerReminder(tx: Db, id: number, at: Date): Promise<boolean> {
  const rows = await tx
    .updateTable('fiche_reminders')
    .set({ answered_at: at })
    .where('id', '=', id)
    .where('answered_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length > 0;
}

/** Records a confirmation « Toujours d’actualité »: the fiche is fresh again, its reminders answered. */
export async function recordConfirmation(tx: Db, actionId: number, at: Date): Promise<void> {
  await tx.updateTable('actions').set({ checked_at: at, freshness: 'recent' }).where('id', '=', actionId).execute();
  await tx
    .updateTable('fiche_reminders')
    .set({ answered_at: at })
    .where('action_id', '=', actionId)
    .where('answered_at', 'is', null)
    .execute();
}

/** The published fiches flagged « À vérifier » in these départements (all with null), oldest first. */
export async function listStaleFiches(db: Db, departements: string[] | null) {
  let query = db
    .selectFrom('actions as a')
    .innerJoin('structures as s', 's.id', 'a.structure_id')
    .select([
      'a.id',
      'a.title',
      's.id as structure_id',
      's.name as structure_name',
      's.departement_code',
      FRESH_AT.as('fresh_at'),
      (eb) =>
        eb
          .selectFrom('fiche_reminders as r')
          .select((r) => r.fn.max('r.sent_at').as('sent_at'))
          .whereRef('r.action_id', '=', 'a.id')
          .as('reminded_at'),
    ])
    .where('a.publication', '=', 'published')
    .where('a.freshness', '=', 'stale');
  if (departements) query = query.where('s.departement_code', 'in', departements.length ? departements : ['']);
  return query.orderBy('fresh_at').orderBy('a.id').execute();
}
