import { sql, type Updateable } from 'kysely';
import { type CopyValue, copyRows } from '../db/copy.js';
import type { ActionTable, Db, HistoryOperation } from '../db/database.js';
import type { FicheContent, Lineage, LinkedFiche, Publication, StoredFiche } from './fiche.js';
import { CONTENT_FIELDS, type FieldValues } from './fields.js';
import type { ContactColumns } from './structure-contact.js';

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

// The fields stored in a column of `actions`, and the column of each.
const COLUMN_FIELDS = CONTENT_FIELDS.flatMap((f) => (f.column ? [{ key: f.key, column: f.column }] : []));
// The fields with several values, stored in a link table.
const LINK_FIELDS = CONTENT_FIELDS.flatMap((f) => (f.kind === 'terms' && f.links ? [{ key: f.key, ...f.links }] : []));

function columns(content: FicheContent) {
  const values = content as unknown as Record<string, CopyValue>;
  return {
    has_attachments_line: content.hasAttachmentsLine,
    ...Object.fromEntries(COLUMN_FIELDS.map((f) => [f.column, values[f.key]])),
  } as Updateable<ActionTable>;
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

/**
 * Replaces a fiche's fields and links with the given content, `imported` when an import does it;
 * with `publication`, the fiche also becomes public, a draft or withdrawn.
 */
export async function updateAction(
  db: Db,
  id: number,
  content: FicheContent,
  options: { imported?: boolean; publication?: Publication } = {},
): Promise<void> {
  const now = new Date();
  await db
    .updateTable('actions')
    .set({
      ...columns(content),
      updated_at: now,
      // An edit is the freshest a fiche can be: its reminders start again from it.
      freshness: 'recent',
      ...(options.imported ? { imported_at: now } : {}),
      ...(options.publication ? publicationColumns(options.publication) : {}),
    })
    .where('id', '=', id)
    .execute();
  for (const { table } of [...LINK_FIELDS, { table: 'action_partners' }]) {
    await sql`delete from ${sql.table(table)} where action_id = ${id}`.execute(db);
  }
  await db.deleteFrom('attachments').where('action_id', '=', id).where('storage_key', 'is', null).execute();
  await insertLinks(db, [{ id, content }]);
}

/** Makes a fiche public, not yet public, or withdrawn, its fields unchanged. */
export async function setPublication(db: Db, actionId: number, publication: Publication): Promise<void> {
  await db
    .updateTable('actions')
    .set({ updated_at: new Date(), ...publicationColumns(publication) })
    .where('id', '=', actionId)
    .execute();
}

// A fiche keeps the date it was first published through its later publications.
function publicationColumns(publication: Publication) {
  return {
    publication,
    ...(publication === 'published' ? { published_at: sql<Date>`coalesce(published_at, now())` } : {}),
  };
}

// The tables of a fiche's lists, each row with the fiche's id and its place in the list.
const LINK_TABLES: Array<{ table: string; columns: string[]; rows: (content: FicheContent) => CopyValue[][] }> = [
  ...LINK_FIELDS.map((f) => ({
    table: f.table,
    columns: [f.column],
    rows: (c: FicheContent) => (c as unknown as Record<string, string[]>)[f.key].map((code) => [code]),
  })),
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

/**
 * The public contact columns of a structure aliased `s`, for a query that shows them: whether it
 * has a relay address, never the address (ADR 0018).
 */
export const PUBLIC_CONTACT = [
  's.street_address',
  's.postal_code',
  's.commune_code',
  's.commune_name',
  's.phone',
  's.website',
  's.contact_role',
  's.contact_name',
  sql<boolean>`s.contact_email is not null`.as('has_contact_email'),
] as const;

// The structure's public contact columns of a row that selected them.
function contactOf(r: ContactColumns): ContactColumns {
  const { street_address, postal_code, commune_code, commune_name, phone, website } = r;
  const { contact_role, contact_name, has_contact_email } = r;
  return {
    street_address,
    postal_code,
    commune_code,
    commune_name,
    phone,
    website,
    contact_role,
    contact_name,
    has_contact_email,
  };
}

/** Records the fiche a new one was written from. */
export async function setInspiredBy(db: Db, id: number, sourceId: number): Promise<void> {
  await db.updateTable('actions').set({ inspired_by_id: sourceId }).where('id', '=', id).execute();
}

/** The published sources of these fiches and the published fiches written from them, by fiche id. */
async function loadLineage(db: Db, rows: Array<{ id: number; inspired_by_id: number | null }>) {
  if (rows.length === 0) return new Map<number, Lineage>();
  const ids = rows.map((r) => r.id);
  const sourceIds = rows.flatMap((r) => (r.inspired_by_id === null ? [] : [r.inspired_by_id]));
  const linked = () =>
    db
      .selectFrom('actions as a')
      .innerJoin('structures as s', 's.id', 'a.structure_id')
      .select(['a.id', 'a.title', 'a.inspired_by_id', 's.name as structure_name'])
      .where('a.publication', '=', 'published');
  const [sources, copies] = await Promise.all([
    sourceIds.length > 0 ? linked().where('a.id', 'in', sourceIds).execute() : [],
    linked().where('a.inspired_by_id', 'in', ids).orderBy('a.id').execute(),
  ]);
  const link = (r: (typeof sources)[number]): LinkedFiche => ({
    id: r.id,
    title: r.title,
    structureName: r.structure_name,
  });
  const byId = new Map(sources.map((r) => [r.id, link(r)]));
  return new Map<number, Lineage>(
    rows.map((r) => [
      r.id,
      {
        inspiredBy: r.inspired_by_id === null ? null : (byId.get(r.inspired_by_id) ?? null),
        inspired: copies.filter((c) => c.inspired_by_id === r.id).map(link),
      },
    ]),
  );
}

/** Loads whole fiches (fields, links, structure, attachments) in the order of `ids`. */
export async function loadFiches(db: Db, ids: number[]): Promise<StoredFiche[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('actions as a')
    .innerJoin('structures as s', 's.id', 'a.structure_id')
    .selectAll('a')
    .select(['s.name as structure_name', 's.kind as structure_kind', 's.departement_code'])
    .select(PUBLIC_CONTACT)
    .where('a.id', 'in', ids)
    .execute();
  const [links, partners, attachments, lineage] = await Promise.all([
    Promise.all(
      LINK_FIELDS.map(async (f) => {
        const { rows } = await sql<{ action_id: number; code: string }>`
          select action_id, ${sql.ref(f.column)} as code from ${sql.table(f.table)}
          where action_id = any(${ids}::int[]) order by position`.execute(db);
        return rows;
      }),
    ),
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
    loadLineage(db, rows),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));

  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const files = attachments.filter((f) => f.action_id === id);
    return [
      {
        id: r.id,
        structure: {
          id: r.structure_id,
          name: r.structure_name,
          kind: r.structure_kind,
          departementCode: r.departement_code,
          contact: contactOf(r),
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
        ...(Object.fromEntries([
          ...COLUMN_FIELDS.map((f) => [f.key, (r as Record<string, unknown>)[f.column]]),
          ...LINK_FIELDS.map((f, n) => [f.key, links[n].filter((l) => l.action_id === id).map((l) => l.code)]),
        ]) as FieldValues),
        partners: partners.filter((p) => p.action_id === id).map((p) => ({ code: p.partner_code, role: p.role })),
        publication: r.publication,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        publishedAt: r.published_at,
        importedAt: r.imported_at,
        checkedAt: r.checked_at,
        freshness: r.freshness,
        lineage: lineage.get(id),
      },
    ];
  });
}
