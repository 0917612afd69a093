import type { Db, ReportKind } from '../db/database.js';

/** Stores a reader's report; returns its id. */
export async function insertReport(
  db: Db,
  report: { actionId: number; kind: ReportKind; text: string; email: string | null },
): Promise<number> {
  const row = await db
    .insertInto('fiche_reports')
    .values({ action_id: report.actionId, kind: report.kind, text: report.text, email: report.email })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

// A report with its fiche and the fiche's structure.
function withFiche(db: Db) {
  return db
    .selectFrom('fiche_reports as r')
    .innerJoin('actions as a', 'a.id', 'r.action_id')
    .innerJoin('structures as s', 's.id', 'a.structure_id');
}

/**
 * The open reports on fiches of these départements (every one for null), personal data first,
 * then the oldest: what a reviewer handles first.
 */
export async function listOpenReports(db: Db, departementCodes: string[] | null) {
  let query = withFiche(db)
    .select([
      'r.id',
      'r.kind',
      'r.text',
      'r.email',
      'r.created_at',
      'a.id as action_id',
      'a.title',
      's.name as structure_name',
      's.departement_code',
    ])
    .where('r.state', '=', 'open');
  if (departementCodes) {
    if (departementCodes.length === 0) return [];
    query = query.where('s.departement_code', 'in', departementCodes);
  }
  return query
    .orderBy((eb) => eb.case().when('r.kind', '=', 'personal_data').then(0).else(1).end())
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
}

/** A report with its fiche's place, or undefined; locked until the transaction ends when asked. */
export async function findReport(db: Db, id: number, lock = false) {
  let query = withFiche(db)
    .select([
      'r.id',
      'r.state',
      'r.email',
      'r.kind',
      'a.id as action_id',
      'a.title',
      'a.structure_id',
      's.departement_code',
    ])
    .where('r.id', '=', id);
  if (lock) query = query.forUpdate('r');
  return query.executeTakeFirst();
}

/** Closes a report with the reviewer's decision and note. */
export async function closeReport(
  db: Db,
  id: number,
  decision: { state: 'handled' | 'rejected'; note: string | null; userId: number },
): Promise<void> {
  await db
    .updateTable('fiche_reports')
    .set({
      state: decision.state,
      reviewer_note: decision.note,
      handled_by: decision.userId,
      handled_at: new Date(),
      email: null,
    })
    .where('id', '=', id)
    .execute();
}
