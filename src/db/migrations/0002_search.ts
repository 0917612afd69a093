import { type Kysely, sql } from 'kysely';

// The default synonym groups; an admin edits them afterwards (`essaim synonyms`), so they are
// inserted once here and never re-seeded.
const SYNONYMS = [
  ['aînés', 'seniors', 'séniors', 'personnes âgées', 'retraités', 'anciens'],
  ['numérique', 'informatique', 'digital', 'internet', 'ordinateur'],
  ['jeunes', 'adolescents', 'ados', 'jeunesse'],
  ['enfants', 'enfance'],
  ['familles', 'parents', 'parentalité'],
  ['vacances', 'séjour', 'séjours', 'départ en vacances'],
  ['vieillissement', 'bien vieillir', 'avancée en âge'],
];

/**
 * French full-text search: the `french_unaccent` configuration, a narrow search table with the
 * weighted document and the facet codes inline (ARCHITECTURE.md), the lexicon of words for typo
 * suggestions, and the editable synonym groups.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Extensions belong to the whole database, not to a schema: put them in public, and tolerate a
  // concurrent installer (test runs create many schemas at once in one database).
  for (const extension of ['unaccent', 'pg_trgm']) {
    await sql
      .raw(
        `do $$ begin create extension if not exists ${extension} with schema public; ` +
          'exception when unique_violation or duplicate_object then null; end $$',
      )
      .execute(db);
  }
  await sql`create text search configuration french_unaccent (copy = french)`.execute(db);
  await sql`alter text search configuration french_unaccent
    alter mapping for hword, hword_part, word with unaccent, french_stem`.execute(db);

  await db.schema
    .createTable('action_search')
    .addColumn('action_id', 'integer', (c) => c.primaryKey().references('actions.id').onDelete('cascade'))
    .addColumn('document', sql`tsvector`, (c) => c.notNull())
    .addColumn('title_sort', 'text', (c) => c.notNull())
    .addColumn('sort_date', 'timestamptz', (c) => c.notNull())
    .addColumn('structure_id', 'integer', (c) => c.notNull())
    .addColumn('dimension_code', 'text')
    .addColumn('status_code', 'text')
    .addColumn('territory_code', 'text')
    .addColumn('departement_code', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('keyword_codes', sql`text[]`, (c) => c.notNull())
    .addColumn('public_codes', sql`text[]`, (c) => c.notNull())
    .addColumn('initiative_codes', sql`text[]`, (c) => c.notNull())
    .addColumn('partner_codes', sql`text[]`, (c) => c.notNull())
    .execute();
  await sql`create index action_search_document_idx on action_search using gin (document)`.execute(db);
  await db.schema.createIndex('action_search_structure_idx').on('action_search').column('structure_id').execute();
  await db.schema.createIndex('action_search_departement_idx').on('action_search').column('departement_code').execute();

  // What a fiche's search row is made of, in one place: refreshing a row is selecting from here.
  // Weights: title A, résumé B, the other texts and the keyword and public labels C, the
  // structure, its place and the partners D.
  await sql`create view action_search_source as
    select a.id as action_id,
      setweight(to_tsvector('french_unaccent', a.title), 'A')
        || setweight(to_tsvector('french_unaccent', coalesce(a.summary, '')), 'B')
        || setweight(to_tsvector('french_unaccent', t.body), 'C')
        || setweight(to_tsvector('french_unaccent', t.context), 'D') as document,
      lower(unaccent(a.title)) as title_sort,
      a.updated_at as sort_date,
      a.structure_id, a.dimension_code, a.status_code, a.territory_code, s.departement_code, d.region_code,
      array(select keyword_code from action_keywords where action_id = a.id order by position) as keyword_codes,
      array(select public_code from action_publics where action_id = a.id order by position) as public_codes,
      array(select initiative_code from action_initiatives where action_id = a.id order by position)
        as initiative_codes,
      array(select partner_code from action_partners where action_id = a.id
        group by partner_code order by min(position)) as partner_codes,
      concat_ws(' ', a.title, a.summary, t.body, t.context) as all_text
    from actions a
      join structures s on s.id = a.structure_id
      join departements d on d.code = s.departement_code
      join regions r on r.code = d.region_code
      cross join lateral (select
        concat_ws(' ', a.end_reason, a.initiative_detail, a.experience, a.general_description,
          a.financial_resources, a.people_mobilised, a.result_territory, a.result_centre,
          a.result_inhabitants, a.limits, a.perspectives,
          (select string_agg(k.label, ' ') from action_keywords ak join keywords k on k.code = ak.keyword_code
            where ak.action_id = a.id),
          (select string_agg(p.label, ' ') from action_publics ap join publics p on p.code = ap.public_code
            where ap.action_id = a.id)) as body,
        concat_ws(' ', s.name, d.name, r.name,
          (select string_agg(p.label, ' ') from action_partners ap join partners p on p.code = ap.partner_code
            where ap.action_id = a.id)) as context) t`.execute(db);

  await db.schema
    .createTable('search_words')
    .addColumn('word', 'text', (c) => c.primaryKey())
    .addColumn('plain', 'text', (c) => c.notNull())
    .addColumn('stem', 'text', (c) => c.notNull())
    .addColumn('documents', 'integer', (c) => c.notNull())
    .execute();
  await sql`create index search_words_plain_trgm_idx on search_words using gin (plain gin_trgm_ops)`.execute(db);
  await db.schema.createIndex('search_words_stem_idx').on('search_words').column('stem').execute();

  await db.schema
    .createTable('search_synonyms')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('terms', sql`text[]`, (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db
    .insertInto('search_synonyms')
    .values(SYNONYMS.map((terms) => ({ terms })))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('search_synonyms').execute();
  await db.schema.dropView('action_search_source').execute();
  await db.schema.dropTable('search_words').execute();
  await db.schema.dropTable('action_search').execute();
  await sql`drop text search configuration french_unaccent`.execute(db);
}
