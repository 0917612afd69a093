import { sql } from 'kysely';
import { type FicheContent, pickContent } from '../actions/fiche.js';
import type { ActionRevisionTable, Db } from '../db/database.js';

/** The work in progress on a fiche. */
export interface RevisionRow {
  action_id: number;
  content: FicheContent;
  state: ActionRevisionTable['state'];
  reviewer_comment: string | null;
  version: number;
  updated_at: Date;
  submitted_at: Date | null;
}

/**
 * A fiche's place and public state: what authorization and the workflow look at. With `lock`,
 * in a transaction, its row stays locked until the commit, so that changes to it run one at a time.
 */
export async function findFicheState(db: Db, actionId: number, lock = false) {
  const query = db
    .selectFrom('actions as a')
    .innerJoin('structures as s', 's.id', 'a.structure_id')
    .select(['a.id', 'a.title', 'a.publication', 'a.structure_id', 's.name as structure_name', 's.departement_code'])
    .where('a.id', '=', actionId);
  return (lock ? query.forUpdate('a') : query).executeTakeFirst();
}

/** The fiche's work in progress, or undefined. */
export async function findRevision(db: Db, actionId: number): Promise<RevisionRow | undefined> {
  const row = await db
    .selectFrom('action_revisions')
    .select(['action_id', 'content', 'state', 'reviewer_comment', 'version', 'updated_at', 'submitted_at'])
    .where('action_id', '=', actionId)
    .executeTakeFirst();
  // The column holds the JSON of a FicheContent this module wrote.
  return row && { ...row, content: pickContent(row.content as Partial<FicheContent>) };
}

/** Starts the work in progress of a fiche, at version 1. */
export async function insertRevision(
  db: Db,
  revision: { actionId: number; content: FicheContent; state: RevisionRow['state']; userId: number },
): Promise<void> {
  await db
    .insertInto('action_revisions')
    .values({
      action_id: revision.actionId,
      content: JSON.stringify(revision.content),
      state: revision.state,
      updated_by: revision.userId,
    })
    .execute();
}

/**
 * Changes the work in progress if it is still at `expectedVersion`, and moves it to the next
 * version; returns false when someone else saved it in between (nothing is written then).
 */
export async function updateRevision(
  db: Db,
  actionId: number,
  expectedVersion: number,
  changes: Partial<{
    content: FicheContent;
    state: RevisionRow['state'];
    reviewerComment: string | null;
    submittedAt: Date | null;
  }>,
  userId: number,
): Promise<boolean> {
  const row = await db
    .updateTable('action_revisions')
    .set({
      ...(changes.content ? { content: JSON.stringify(changes.content) } : {}),
      ...(changes.state ? { state: changes.state } : {}),
      ...(changes.reviewerComment !== undefined ? { reviewer_comment: changes.reviewerComment } : {}),
      ...(changes.submittedAt !== undefined ? { submitted_at: changes.submittedAt } : {}),
      version: sql<number>`version + 1`,
      updated_by: userId,
      updated_at: new Date(),
    })
    .where('action_id', '=', actionId)
    .where('version', '=', expectedVersion)
    .returning('version')
    .executeTakeFirst();
  return row !== undefined;
}

/** Ends the work in progress of a fiche (approved or abandoned). */
export async function deleteRevision(db: Db, actionId: number): Promise<void> {
  await db.deleteFrom('action_revisions').where('action_id', '=', actionId).execute();
}

/** Deletes a fiche that was never published, with its links. */
export async function deleteAction(db: Db, actionId: number): Promise<void> {
  for (const table of ['action_keywords', 'action_initiatives', 'action_publics', 'action_partners'] as const) {
    await db.deleteFrom(table).where('action_id', '=', actionId).execute();
  }
  await db.deleteFrom('actions').where('id', '=', actionId).execute();
}

// Every fiche with its work in progress, the title being the one its editors see.
function fichesWithWork(db: Db) {
  return db
    .selectFrom('actions as a')
    .innerJoin('structures as s', 's.id', 'a.structure_id')
    .innerJoin('departements as d', 'd.code', 's.departement_code')
    .leftJoin('action_revisions as r', 'r.action_id', 'a.id')
    .select([
      'a.id',
      sql<string>`coalesce(r.content->>'title', a.title)`.as('title'),
      'a.publication',
      'a.freshness',
      'a.updated_at',
      'a.structure_id',
      's.name as structure_name',
      's.departement_code',
      'd.name as departement_name',
      'r.state',
      'r.reviewer_comment',
      'r.submitted_at',
      sql<Date | null>`r.updated_at`.as('revision_updated_at'),
    ]);
}

/**
 * The fiches of these structures, and those `authorId` created or saved wherever they are (an
 * admin writes for any structure), every state, the latest work first.
 */
export async function listStructureWork(db: Db, structureIds: number[], authorId?: number) {
  if (structureIds.length === 0 && authorId === undefined) return [];
  return fichesWithWork(db)
    .where((eb) =>
      eb.or([
        ...(structureIds.length > 0 ? [eb('a.structure_id', 'in', structureIds)] : []),
        ...(authorId === undefined
          ? []
          : [
              eb.exists(
                eb
                  .selectFrom('action_history as h')
                  .whereRef('h.action_id', '=', 'a.id')
                  .where('h.user_id', '=', authorId)
                  .where('h.operation', 'in', ['create', 'save']),
              ),
            ]),
      ]),
    )
    .orderBy(sql`coalesce(r.updated_at, a.updated_at)`, 'desc')
    .orderBy('a.id', 'desc')
    .execute();
}

/** The fiches waiting for review in these départements (all of them when `departementCodes` is null), oldest first. */
export async function listReviewQueue(db: Db, departementCodes: string[] | null) {
  let query = fichesWithWork(db).where('r.state', '=', 'submitted');
  if (departementCodes) {
    if (departementCodes.length === 0) return [];
    query = query.where('s.departement_code', 'in', departementCodes);
  }
  return query.orderBy('r.submitted_at').orderBy('a.id').execute();
}

/**
 * The addresses of the active users who write this structure's fiches, or who review this
 * département's: the people the workflow's e-mails go to.
 */
export async function listRoleEmails(
  db: Db,
  role: { structureId: number } | { departementCode: string },
): Promise<string[]> {
  const rows = await db
    .selectFrom('users as u')
    .select('u.email')
    .where((eb) =>
      'structureId' in role
        ? eb.exists(
            eb
              .selectFrom('user_structures as us')
              .whereRef('us.user_id', '=', 'u.id')
              .where('us.structure_id', '=', role.structureId),
          )
        : eb.exists(
            eb
              .selectFrom('user_departements as ud')
              .whereRef('ud.user_id', '=', 'u.id')
              .where('ud.departement_code', '=', role.departementCode),
          ),
    )
    .where('u.disabled_at', 'is', null)
    .where('u.password_hash', 'is not', null)
    .orderBy('u.email')
    .execute();
  return rows.map((r) => r.email);
}
