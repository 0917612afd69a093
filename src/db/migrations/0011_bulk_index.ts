import { type Kysely, sql } from 'kysely';

// Indexes of 0003 that an older one already gives: the unique (structure_id, title), the
// primary keys that start with action_id, and 0001's indexes on attachments and the history.
// Each costs every import a write per row and no lookup needs it.
const REDUNDANT_INDEXES: Array<[name: string, table: string, columns: string[]]> = [
  ['actions_structure_title_idx', 'actions', ['structure_id', 'title']],
  ['action_keywords_action_idx', 'action_keywords', ['action_id']],
  ['action_initiatives_action_idx', 'action_initiatives', ['action_id']],
  ['action_publics_action_idx', 'action_publics', ['action_id']],
  ['action_partners_action_idx', 'action_partners', ['action_id']],
  ['attachments_action_idx', 'attachments', ['action_id']],
  ['action_history_action_idx', 'action_history', ['action_id']],
];

/**
 * The search document is split from the texts it is made of, so that an import can read the
 * texts in its transaction and have them analysed on other connections at once (ADR 0014):
 * `action_search_texts` gives the four weighted texts, `action_search_document` turns them into
 * the document, and `action_search_source` is the one made of the other two. The labels of a
 * fiche's keywords, publics and partners are joined in their order on the fiche, so that the
 * same fiche always gives the same document.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const [name] of REDUNDANT_INDEXES) await sql`drop index if exists ${sql.id(name)}`.execute(db);
  await sql`create function action_search_document(title text, summary text, body text, context text)
    returns tsvector language sql immutable parallel safe as $$
      select setweight(to_tsvector('french_unaccent', title), 'A')
        || setweight(to_tsvector('french_unaccent', summary), 'B')
        || setweight(to_tsvector('french_unaccent', body), 'C')
        || setweight(to_tsvector('french_unaccent', context), 'D')
    $$`.execute(db);
  await sql`create view action_search_texts as
    select a.id as action_id, a.publication, a.title, coalesce(a.summary, '') as summary, t.body, t.context,
      lower(unaccent(a.title)) as title_sort,
      a.updated_at as sort_date,
      a.structure_id, a.dimension_code, a.status_code, a.territory_code, s.departement_code, d.region_code,
      array(select keyword_code from action_keywords where action_id = a.id order by position) as keyword_codes,
      array(select public_code from action_publics where action_id = a.id order by position) as public_codes,
      array(select initiative_code from action_initiatives where action_id = a.id order by position)
        as initiative_codes,
      array(select partner_code from action_partners where action_id = a.id
        group by partner_code order by min(position)) as partner_codes,
      concat_ws(' ', a.title, a.summary, t.body, t.context) as all_text,
      b.total as budget_total, coalesce(b.range_code, 'non-chiffre') as budget_range,
      coalesce(extract(year from a.published_at)::int::text, 'inconnue') as published_year
    from actions a
      join structures s on s.id = a.structure_id
      join departements d on d.code = s.departement_code
      join regions r on r.code = d.region_code
      left join action_budgets b on b.action_id = a.id
      cross join lateral (select
        concat_ws(' ', a.end_reason, a.initiative_detail, a.experience, a.general_description,
          a.financial_resources, a.people_mobilised, a.result_territory, a.result_centre,
          a.result_inhabitants, a.limits, a.perspectives,
          (select string_agg(k.label, ' ' order by ak.position) from action_keywords ak
            join keywords k on k.code = ak.keyword_code where ak.action_id = a.id),
          (select string_agg(p.label, ' ' order by ap.position) from action_publics ap
            join publics p on p.code = ap.public_code where ap.action_id = a.id)) as body,
        concat_ws(' ', s.name, d.name, r.name,
          (select string_agg(p.label, ' ' order by ap.position) from action_partners ap
            join partners p on p.code = ap.partner_code where ap.action_id = a.id)) as context) t`.execute(db);
  await sql`create or replace view action_search_source as
    select action_id, action_search_document(title, summary, body, context) as document, title_sort, sort_date,
      structure_id, dimension_code, status_code, territory_code, departement_code, region_code, keyword_codes,
      public_codes, initiative_codes, partner_codes, all_text, budget_total, budget_range, published_year
    from action_search_texts`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // 0009's view, as it was.
  await sql`create or replace view action_search_source as
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
      concat_ws(' ', a.title, a.summary, t.body, t.context) as all_text,
      b.total as budget_total, coalesce(b.range_code, 'non-chiffre') as budget_range,
      coalesce(extract(year from a.published_at)::int::text, 'inconnue') as published_year
    from actions a
      join structures s on s.id = a.structure_id
      join departements d on d.code = s.departement_code
      join regions r on r.code = d.region_code
      left join action_budgets b on b.action_id = a.id
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
  await sql`drop view action_search_texts`.execute(db);
  await sql`drop function action_search_document(text, text, text, text)`.execute(db);
  for (const [name, table, columns] of REDUNDANT_INDEXES) {
    await db.schema.createIndex(name).on(table).columns(columns).execute();
  }
}
