/**
 * The search rows' side that writes: the texts of a fiche's search row, their analysis into a
 * document, the rows and their indexes, the lexicon of the typo suggestions, the generation.
 */
import { sql } from 'kysely';
import { type CopyValue, copyRows } from '../db/copy.js';
import type { Db } from '../db/database.js';
import { TEXT_CONFIG } from './text-config.js';

// The columns of a search row besides its document, as `action_search_texts` gives them.
const ROW_COLUMNS = [
  'title_sort',
  'sort_date',
  'structure_id',
  'dimension_code',
  'status_code',
  'territory_code',
  'departement_code',
  'region_code',
  'keyword_codes',
  'public_codes',
  'initiative_codes',
  'partner_codes',
  'budget_total',
  'budget_range',
  'published_year',
  'freshness',
] as const;

/** What a fiche's search row is made of: the four texts its document weighs, and its other columns. */
export interface SearchTexts {
  action_id: number;
  title: string;
  summary: string;
  body: string;
  context: string;
  /** The other columns of the row, by name. */
  row: Record<(typeof ROW_COLUMNS)[number], CopyValue>;
}

/** The four texts a search document weighs. */
export type DocumentTexts = Pick<SearchTexts, 'title' | 'summary' | 'body' | 'context'>;

/** The texts and columns of these fiches' search rows, published fiches only (a draft has none). */
export async function readSearchTexts(db: Db, actionIds: number[]): Promise<SearchTexts[]> {
  if (actionIds.length === 0) return [];
  // The view's `all_text` is left out: the lexicon reads the four texts, which hold the same words.
  const { rows } = await sql<Record<string, CopyValue>>`
    select action_id, title, summary, body, context, ${sql.join(ROW_COLUMNS.map((c) => sql.ref(c)))}
    from action_search_texts
    where action_id = any(${actionIds}::int[]) and publication = 'published'`.execute(db);
  return rows.map((r) => ({
    action_id: r.action_id as number,
    title: r.title as string,
    summary: r.summary as string,
    body: r.body as string,
    context: r.context as string,
    row: Object.fromEntries(ROW_COLUMNS.map((c) => [c, r[c]])) as SearchTexts['row'],
  }));
}

/**
 * The search documents of these texts, in their order, in tsvector's binary form, each text
 * analysed whole: for a write of a few fiches (an import puts its documents together from
 * pieces, ADR 0031).
 */
export async function analyseDocuments(db: Db, texts: DocumentTexts[]): Promise<Uint8Array[]> {
  if (texts.length === 0) return [];
  const { rows } = await sql<{ document: Uint8Array }>`
    select tsvectorsend(action_search_document(t.title, t.summary, t.body, t.context)) as document
    from unnest(${texts.map((t) => t.title)}::text[], ${texts.map((t) => t.summary)}::text[],
      ${texts.map((t) => t.body)}::text[], ${texts.map((t) => t.context)}::text[])
      with ordinality t(title, summary, body, context, n)
    order by t.n`.execute(db);
  return rows.map((r) => r.document);
}

/**
 * The statements that set up on an empty database what the analysis of texts needs, read from
 * this one: the unaccent extension, the French configuration's mappings and the document's
 * function, so that both give the same documents.
 */
export async function textAnalysisSetup(from: Db): Promise<string[]> {
  const { rows: mappings } = await sql<{ token: string; dictionaries: string }>`
    select t.alias as token, string_agg(m.mapdict::regdictionary::text, ', ' order by m.mapseqno) as dictionaries
    from pg_ts_config_map m join ts_token_type('default') t on t.tokid = m.maptokentype
    where m.mapcfg = 'french_unaccent'::regconfig
    group by t.alias order by t.alias`.execute(from);
  const { rows: functions } = await sql<{ definition: string }>`
    select pg_get_functiondef('action_search_document(text, text, text, text)'::regprocedure) as definition`.execute(
    from,
  );
  return [
    'create extension if not exists unaccent',
    'create text search configuration french_unaccent (parser = default)',
    ...mappings.map(
      ({ token, dictionaries }) =>
        `alter text search configuration french_unaccent add mapping for ${token} with ${dictionaries}`,
    ),
    functions[0].definition,
  ];
}

/**
 * Replaces the search rows of these fiches by the given ones, each with its document in
 * tsvector's binary form (with COPY); a fiche of the list without a row given loses
 * its own, as a draft or an archived fiche must.
 */
export async function replaceSearchRows(
  db: Db,
  actionIds: number[],
  rows: Array<{ texts: SearchTexts; document: Uint8Array }>,
): Promise<void> {
  if (actionIds.length === 0) return;
  await db.deleteFrom('action_search').where('action_id', '=', sql<number>`any(${actionIds}::int[])`).execute();
  await copyRows(
    db,
    'action_search',
    ['action_id', 'document', ...ROW_COLUMNS],
    rows.map(({ texts, document }) => [texts.action_id, document, ...ROW_COLUMNS.map((c) => texts.row[c])]),
  );
}

/** How many search rows there are. */
export async function countSearchRows(db: Db): Promise<number> {
  const row = await db
    .selectFrom('action_search')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Drops the search table's indexes but its key, for a load far larger than the table: built
 * once at the end they cost a fraction of what row-by-row upkeep does (ADR 0014). Returns what
 * builds them again, from their own definitions; call both in one transaction, which holds the
 * table's exclusive lock until it ends.
 */
export async function suspendSearchIndexes(db: Db): Promise<() => Promise<void>> {
  const { rows } = await sql<{ name: string; definition: string }>`
    select indexname as name, indexdef as definition from pg_indexes
    where schemaname = current_schema() and tablename = 'action_search' and indexname <> 'action_search_pkey'`.execute(
    db,
  );
  for (const index of rows) await sql`drop index ${sql.id(index.name)}`.execute(db);
  return async () => {
    // Enough memory to sort the documents' words in one pass rather than in runs on disk.
    await sql`set local maintenance_work_mem = '256MB'`.execute(db);
    for (const index of rows) await sql.raw(index.definition).execute(db);
  };
}

/**
 * Adds words to the lexicon of typo suggestions, with the number of fiches holding each. Each
 * new word is stemmed once; a word whose stem is not one lexeme (a stop word) is left out.
 */
export async function addLexiconWords(db: Db, words: string[], documents: number[]): Promise<void> {
  if (words.length === 0) return;
  // The lexicon only grows: a word that left every fiche may still be suggested, which the
  // service guards against by checking that a suggestion finds something. A word whose count
  // does not grow is not written again: every publication rewrote its few hundred words, and
  // the dead rows and index entries slowed every typo's look-up.
  // Labelled with a new generation, taken under search_state's row lock until commit, so that
  // each process's copy of the lexicon reads exactly the words changed since its own (0022).
  await sql`with bumped as (update search_state set generation = generation + 1 where id = 1 returning generation)
    insert into search_words (word, plain, stem, documents, generation)
    select w.word, unaccent(w.word), coalesce(known.stem, stems.lexemes[1]), w.documents,
      (select generation from bumped)
    from unnest(${words}::text[], ${documents}::int[]) w(word, documents)
      left join search_words known on known.word = w.word
      cross join lateral (select case when known.word is null
        then array(select lexeme from unnest(to_tsvector(${TEXT_CONFIG}, w.word))) end as lexemes) stems
    where known.word is not null or cardinality(stems.lexemes) = 1
    on conflict (word) do update set documents = excluded.documents, generation = excluded.generation
      where search_words.documents < excluded.documents`.execute(db);
}

/** The fiches that have no search row yet (imported before search existed, for instance). */
export async function listUnindexedActionIds(db: Db): Promise<number[]> {
  const rows = await db
    .selectFrom('actions as a')
    .leftJoin('action_search as s', 's.action_id', 'a.id')
    .where('s.action_id', 'is', null)
    .where('a.publication', '=', 'published')
    .select('a.id')
    .orderBy('a.id')
    .execute();
  return rows.map((r) => r.id);
}

/** What PostgreSQL made of a piece: the positions it takes, its lexemes by position in it. */
export interface AnalysedPiece {
  positions: number;
  occurrences: Array<[number, string]>;
}

/**
 * Each piece's analysis: its `to_tsvector`, and the tokens that take a position (those of a
 * type the configuration maps, below the parser's longest word, as `parsetext` counts them).
 */
export async function analysePieces(db: Db, pieces: string[]): Promise<AnalysedPiece[]> {
  const { rows } = await sql<{ document: string; positions: number }>`
    with mapped as (select array_agg(maptokentype) as types from pg_ts_config_map
      where mapcfg = ${TEXT_CONFIG}::regconfig)
    select to_tsvector(${TEXT_CONFIG}, p.piece)::text as document,
      (select count(*)::int from ts_parse('default', p.piece) t
        where octet_length(t.token) < 2047 and t.tokid = any(mapped.types)) as positions
    from unnest(${pieces}::text[]) with ordinality p(piece, n) cross join mapped
    order by p.n`.execute(db);
  return rows.map((r) => ({ positions: r.positions, occurrences: occurrencesIn(r.document) }));
}

// 'lexeme':1,5 with quotes doubled and backslashes escaped inside the lexeme.
const ENTRY = /'((?:[^'\\]|''|\\.)*)'(?::([\d,]+))?/g;

/** A piece's lexemes with their positions in it, in the order of the piece. */
function occurrencesIn(document: string): Array<[number, string]> {
  const occurrences: Array<[number, string]> = [];
  for (const [, quoted, list] of document.matchAll(ENTRY)) {
    const lexeme = quoted.replace(/''/g, "'").replace(/\\(.)/g, '$1');
    for (const at of (list ?? '').split(',')) if (at) occurrences.push([Number(at), lexeme]);
  }
  return occurrences.sort((a, b) => a[0] - b[0]);
}
