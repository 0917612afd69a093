import { type Kysely, sql } from 'kysely';

/**
 * A fiche brought by an import has no publication date: the source's export gives none. It
 * keeps the date of its last import apart (`imported_at`), its `published_at` stays null until
 * a reviewer publishes it here, and the year facet counts it under « inconnue » instead of the
 * import's year. Fiches created by an import so far are dated that way from their history.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('actions').addColumn('imported_at', 'timestamptz').execute();
  await sql`update actions a set imported_at = h.last_import
    from (select action_id, max(at) as last_import from action_history where source = 'import' group by action_id) h
    where h.action_id = a.id`.execute(db);
  await sql`update actions a set published_at = null
    where exists (select 1 from action_history h
      where h.action_id = a.id and h.source = 'import' and h.operation = 'create')
      and not exists (select 1 from action_history h
      where h.action_id = a.id and h.source <> 'import' and h.operation = 'publish')`.execute(db);
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
  await sql`update action_search s set published_year = coalesce(extract(year from a.published_at)::int::text, 'inconnue')
    from actions a where a.id = s.action_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`update actions set published_at = coalesce(published_at, imported_at)`.execute(db);
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
      extract(year from coalesce(a.published_at, a.created_at))::int::text as published_year
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
  await sql`update action_search s set published_year = extract(year from coalesce(a.published_at, a.created_at))::int::text
    from actions a where a.id = s.action_id`.execute(db);
  await db.schema.alterTable('actions').dropColumn('imported_at').execute();
}
