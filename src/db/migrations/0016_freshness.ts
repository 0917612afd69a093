import { type Kysely, sql } from 'kysely';

const OPERATIONS = `'create', 'update', 'delete', 'save', 'submit', 'request_changes', 'publish', 'archive', 'restore'`;

/**
 * Fiches that stay true (ADR 0020): when an editor last confirmed a fiche « Toujours
 * d’actualité », the reminders sent to its editors (one per fiche and period: the period
 * starts at the fiche's last edit or confirmation, so two runs never send it twice), and the
 * fiche's freshness, which the reminders job moves and a search facet counts.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('actions').addColumn('checked_at', 'timestamptz').execute();
  await db.schema
    .alterTable('actions')
    .addColumn('freshness', 'text', (c) =>
      c.notNull().defaultTo('recent').check(sql`freshness in ('recent', 'old', 'stale')`),
    )
    .execute();
  await db.schema
    .createTable('fiche_reminders')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('action_id', 'integer', (c) => c.notNull().references('actions.id').onDelete('cascade'))
    .addColumn('period_start', 'timestamptz', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .addColumn('recipients', 'integer', (c) => c.notNull())
    .addColumn('answered_at', 'timestamptz')
    .addUniqueConstraint('fiche_reminders_period_key', ['action_id', 'period_start'])
    .execute();
  await db.schema
    .alterTable('action_search')
    .addColumn('freshness', 'text', (c) => c.notNull().defaultTo('recent'))
    .execute();
  // Columns may only be added at the end of a view that is replaced.
  await createViews(db, true);
  await sql`alter table action_history drop constraint action_history_operation_check,
    add constraint action_history_operation_check
      check (operation in (${sql.raw(OPERATIONS)}, 'remind', 'confirm', 'flag_stale'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from action_history where operation in ('remind', 'confirm', 'flag_stale')`.execute(db);
  await sql`alter table action_history drop constraint action_history_operation_check,
    add constraint action_history_operation_check check (operation in (${sql.raw(OPERATIONS)}))`.execute(db);
  // A view's columns cannot be dropped by replacing it: both views are made again as 0011 left them.
  await sql`drop view action_search_source`.execute(db);
  await sql`drop view action_search_texts`.execute(db);
  await db.schema.alterTable('action_search').dropColumn('freshness').execute();
  await db.schema.dropTable('fiche_reminders').execute();
  await db.schema.alterTable('actions').dropColumn('freshness').dropColumn('checked_at').execute();
  await createViews(db, false);
}

/** 0011's two views, with the fiche's freshness as their last column or without it. */
async function createViews(db: Kysely<any>, freshness: boolean): Promise<void> {
  await sql`create or replace view action_search_texts as
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
      coalesce(extract(year from a.published_at)::int::text, 'inconnue') as published_year${freshness ? sql`, a.freshness` : sql``}
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
      public_codes, initiative_codes, partner_codes, all_text, budget_total, budget_range, published_year${freshness ? sql`, freshness` : sql``}
    from action_search_texts`.execute(db);
}
