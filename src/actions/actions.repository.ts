import { sql } from 'kysely';
import { type CopyValue, copyRows } from '../db/copy.js';
import type { Db, HistoryOperation } from '../db/database.js';
import type { FicheContent, Publication, StoredFiche } from './fiche.js';

/** The ids of the stored fiches among these (structure, title) pairs, keyed by `actionKey`. */
export async function findActionIds(
  db: Db,
  keys: Array<{ structureId: number; title: string }>,
): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const { rows } = await sql<{ id: number; structure_id: number; title: string }>`
    select a.id, a.structure_id, a.title
    from actions a
      join unnest(${keys.map((k) => k.structureId)}::int[], ${keys.map((k) => k.title)}::text[]) k(structure_id, title)
        on a.structure_id = k.structure_id and a.title = k.title`.execute(db);
  return new Map(rows.map((r) => [actionKey(r.structure_id, r.title), r.id]));
}

/** The key of a fiche in the map above: its structure and its title. */
export function actionKey(structureId: number, title: string): string {
  return `${structureId}\u0000${title}`;
}

function columns(content: FicheContent) {
  return {
    title: content.title,
    has_attachments_line: content.hasAttachmentsLine,
    status_code: content.status,
    end_reason: content.endReason,
    dimension_code: content.dimension,
    summary: content.summary,
    initiative_detail: content.initiativeDetail,
    territory_code: content.territory,
    experience: content.experience,
    partners_territory_code: content.partnersTerritory,
    general_description: content.generalDescription,
    financial_resources: content.financialResources,
    people_mobilised: content.peopleMobilised,
    result_territory: content.resultTerritory,
    result_centre: content.resultCentre,
    result_inhabitants: content.resultInhabitants,
    limits: content.limits,
    perspectives: content.perspectives,
  };
}

/**
 * Stores new fiches with their links; returns their ids, in order. The rows go in with COPY,
 * their ids taken from the sequence first: an import writes tens of thousands at a time.
 */
export async function insertActions(
  db: Db,
  fiches: Array<{ structureId: number; content: FicheContent; publication?: Publication; imported?: boolean }>,
): Promise<number[]> {
  if (fiches.length === 0) return [];
  const now = new Date();
  const { rows } = await sql<{ id: number }>`select nextval(pg_get_serial_sequence('actions', 'id'))::int as id
    from generate_series(1, ${fiches.length})`.execute(db);
  const ids = rows.map((r) => r.id);
  const contents: Array<Record<string, CopyValue>> = fiches.map((f) => columns(f.content));
  const contentColumns = Object.keys(contents[0]);
  await copyRows(
    db,
    'actions',
    ['id', 'structure_id', 'publication', 'published_at', 'imported_at', 'created_at', 'updated_at', ...contentColumns],
    fiches.map((f, i) => {
      const publication = f.publication ?? 'published';
      return [
        ids[i],
        f.structureId,
        publication,
        // An imported fiche's publication date is the source's, which its export does not give.
        publication === 'published' && !f.imported ? now : null,
        f.imported ? now : null,
        now,
        now,
        ...contentColumns.map((c) => contents[i][c]),
      ];
    }),
  );
  await insertLinks(
    db,
    fiches.map((f, i) => ({ id: ids[i], content: f.content })),
  );
  return ids;
}

/** Replaces a fiche's fields and links with the given content, `imported` when an import does it. */
export async function updateAction(
  db: Db,
  id: number,
  content: FicheContent,
  options: { imported?: boolean } = {},
): Promise<void> {
  const now = new Date();
  await db
    .updateTable('actions')
    .set({ ...columns(content), updated_at: now, ...(options.imported ? { imported_at: now } : {}) })
    .where('id', '=', id)
    .execute();
  for (const table of ['action_keywords', 'action_initiatives', 'action_publics', 'action_partners'] as const) {
    await db.deleteFrom(table).where('action_id', '=', id).execute();
  }
  await db.deleteFrom('attachments').where('action_id', '=', id).where('storage_key', 'is', null).execute();
  await insertLinks(db, [{ id, content }]);
}

// The tables of a fiche's lists, each row with the fiche's id and its place in the list.
const LINK_TABLES: Array<{ table: string; columns: string[]; rows: (content: FicheContent) => CopyValue[][] }> = [
  { table: 'action_keywords', columns: ['keyword_code'], rows: (c) => c.keywords.map((code) => [code]) },
  { table: 'action_initiatives', columns: ['initiative_code'], rows: (c) => c.initiatives.map((code) => [code]) },
  { table: 'action_publics', columns: ['public_code'], rows: (c) => c.publics.map((code) => [code]) },
  { table: 'action_partners', columns: ['partner_code', 'role'], rows: (c) => c.partners.map((p) => [p.code, p.role]) },
  { table: 'attachments', columns: ['file_name'], rows: (c) => c.legacyAttachmentNames.map((name) => [name]) },
];

// One COPY per link table for many fiches: the import stores thousands at a time.
async function insertLinks(db: Db, fiches: Array<{ id: number; content: FicheContent }>): Promise<void> {
  for (const { table, columns, rows } of LINK_TABLES) {
    await copyRows(
      db,
      table,
      ['action_id', ...columns, 'position'],
      fiches.flatMap(({ id, content }) => rows(content).map((row, position) => [id, ...row, position])),
    );
  }
}

/** One change to a fiche, as the history keeps it. */
export interface HistoryEntry {
  actionId: number;
  actor: string;
  source: 'import' | 'web' | 'cli' | 'api';
  operation: HistoryOperation;
  changes: Record<string, { before: unknown; after: unknown }>;
  userId?: number;
  comment?: string | null;
}

/** Records changes to fiches; call it in the transaction that made them. */
export async function insertHistory(db: Db, entries: HistoryEntry[]): Promise<void> {
  await copyRows(
    db,
    'action_history',
    ['action_id', 'actor', 'source', 'operation', 'changes', 'user_id', 'comment'],
    entries.map((e) => [e.actionId, e.actor, e.source, e.operation, e.changes, e.userId ?? null, e.comment ?? null]),
  );
}

/** A fiche's history, oldest first. */
export async function listHistory(db: Db, actionId: number) {
  return db.selectFrom('action_history').selectAll().where('action_id', '=', actionId).orderBy('id').execute();
}

/** How many fiches are stored. */
export async function countActions(db: Db): Promise<number> {
  const row = await db
    .selectFrom('actions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The ids of published fiches in id order, after `afterId`, at most `limit`. */
export async function listActionIds(db: Db, afterId: number, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('actions')
    .select('id')
    .where('id', '>', afterId)
    .where('publication', '=', 'published')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Loads whole fiches (fields, links, structure, attachments) in the order of `ids`. */
export async function loadFiches(db: Db, ids: number[]): Promise<StoredFiche[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('actions as a')
    .innerJoin('structures as s', 's.id', 'a.structure_id')
    .selectAll('a')
    .select(['s.name as structure_name', 's.kind as structure_kind', 's.departement_code'])
    .where('a.id', 'in', ids)
    .execute();
  const [keywords, initiatives, publics, partners, attachments] = await Promise.all([
    db.selectFrom('action_keywords').selectAll().where('action_id', 'in', ids).orderBy('position').execute(),
    db.selectFrom('action_initiatives').selectAll().where('action_id', 'in', ids).orderBy('position').execute(),
    db.selectFrom('action_publics').selectAll().where('action_id', 'in', ids).orderBy('position').execute(),
    db.selectFrom('action_partners').selectAll().where('action_id', 'in', ids).orderBy('position').execute(),
    // The public version's files: those a work in progress adds stay out until it is published.
    db
      .selectFrom('attachments')
      .selectAll()
      .where('action_id', 'in', ids)
      .where('state', '!=', 'pending')
      .orderBy('position')
      .orderBy('id')
      .execute(),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const codesOf = <T extends { action_id: number }>(list: T[], id: number, pick: (row: T) => string) =>
    list.filter((l) => l.action_id === id).map(pick);

  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const files = attachments.filter((f) => f.action_id === id);
    return [
      {
        id: r.id,
        title: r.title,
        structure: {
          id: r.structure_id,
          name: r.structure_name,
          kind: r.structure_kind,
          departementCode: r.departement_code,
        },
        legacyAttachmentNames: files.filter((f) => f.storage_key === null).map((f) => f.file_name),
        attachments: files.map((f) => ({
          id: f.id,
          fileName: f.file_name,
          mediaType: f.media_type,
          sizeBytes: f.size_bytes,
          available: f.storage_key !== null,
        })),
        hasAttachmentsLine: r.has_attachments_line,
        status: r.status_code,
        endReason: r.end_reason,
        dimension: r.dimension_code,
        keywords: codesOf(keywords, id, (k) => k.keyword_code),
        summary: r.summary,
        initiatives: codesOf(initiatives, id, (k) => k.initiative_code),
        initiativeDetail: r.initiative_detail,
        territory: r.territory_code,
        experience: r.experience,
        publics: codesOf(publics, id, (k) => k.public_code),
        partners: partners.filter((p) => p.action_id === id).map((p) => ({ code: p.partner_code, role: p.role })),
        partnersTerritory: r.partners_territory_code,
        generalDescription: r.general_description,
        financialResources: r.financial_resources,
        peopleMobilised: r.people_mobilised,
        resultTerritory: r.result_territory,
        resultCentre: r.result_centre,
        resultInhabitants: r.result_inhabitants,
        limits: r.limits,
        perspectives: r.perspectives,
        publication: r.publication,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        publishedAt: r.published_at,
        importedAt: r.imported_at,
      },
    ];
  });
}
