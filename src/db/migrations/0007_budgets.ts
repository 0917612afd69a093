import { type Kysely, sql } from 'kysely';

/**
 * Budgets read from the fiches' resources text (src/budgets), and the year a fiche was first
 * published: both become search columns, so that the search, its facets, the statistics and
 * the exports count them alike. A budget row is derived data: the app rewrites it with every
 * write of its fiche and whenever the extractor's version changes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('action_budgets')
    .addColumn('action_id', 'integer', (c) => c.primaryKey().references('actions.id').onDelete('cascade'))
    .addColumn('charges', sql`numeric(14, 2)`)
    .addColumn('charges_confidence', 'text')
    .addColumn('products', sql`numeric(14, 2)`)
    .addColumn('products_confidence', 'text')
    .addColumn('total', sql`numeric(14, 2)`)
    .addColumn('total_confidence', 'text')
    .addColumn('range_code', 'text')
    .addColumn('funders', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('extractor_version', 'integer', (c) => c.notNull())
    .execute();
  await sql`create trigger action_budgets_search_generation
    after insert or update or delete or truncate on action_budgets
    for each statement execute function bump_search_generation()`.execute(db);

  await db.schema.alterTable('actions').addColumn('published_at', 'timestamptz').execute();
  await sql`update actions set published_at = created_at where publication <> 'draft'`.execute(db);

  await db.schema.alterTable('action_search').addColumn('budget_total', sql`numeric(14, 2)`).execute();
  await db.schema
    .alterTable('action_search')
    .addColumn('budget_range', 'text', (c) => c.notNull().defaultTo('non-chiffre'))
    .execute();
  await db.schema
    .alterTable('action_search')
    .addColumn('published_year', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await sql`update action_search s set published_year = extract(year from coalesce(a.published_at, a.created_at))::int::text
    from actions a where a.id = s.action_id`.execute(db);
  await db.schema
    .createIndex('action_search_budget_idx')
    .on('action_search')
    .expression(sql`budget_total desc nulls last, action_id desc`)
    .execute();

  // The view of 0002 with three columns added at its end (a replaced view may only grow there).
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
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop view action_search_source`.execute(db);
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
  await db.schema.dropIndex('action_search_budget_idx').execute();
  for (const column of ['budget_total', 'budget_range', 'published_year']) {
    await db.schema.alterTable('action_search').dropColumn(column).execute();
  }
  await db.schema.alterTable('actions').dropColumn('published_at').execute();
  await db.schema.dropTable('action_budgets').execute();
}
