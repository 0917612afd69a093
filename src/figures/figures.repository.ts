import { sql } from 'kysely';
import type { Db } from '../db/database.js';

/** What is counted of a fiche, as the table's columns name it. */
export type FigureKind = 'views' | 'downloads' | 'favourites' | 'alert_listings';

/** Increments of one fiche's figures in one month ("2026-12"). */
export interface FigureIncrement {
  actionId: number;
  month: string;
  kind: FigureKind;
  count: number;
}

/**
 * Adds these increments to the stored counts, in one statement. Additions commute: processes
 * that flush at the same time each add their own share, and nothing is lost or counted twice.
 * A fiche deleted since it was counted is skipped.
 */
export async function addFigures(db: Db, increments: FigureIncrement[]): Promise<void> {
  if (increments.length === 0) return;
  const column = (kind: FigureKind) => increments.map((i) => (i.kind === kind ? i.count : 0));
  await sql`
    insert into fiche_figures (action_id, month, views, downloads, favourites, alert_listings)
    select u.action_id, to_date(u.month, 'YYYY-MM'), sum(u.views), sum(u.downloads), sum(u.favourites),
      sum(u.alert_listings)
    from unnest(${increments.map((i) => i.actionId)}::int[], ${increments.map((i) => i.month)}::text[],
        ${column('views')}::int[], ${column('downloads')}::int[], ${column('favourites')}::int[],
        ${column('alert_listings')}::int[]) u(action_id, month, views, downloads, favourites, alert_listings)
      join actions a on a.id = u.action_id
    group by u.action_id, u.month
    on conflict (action_id, month) do update set
      views = fiche_figures.views + excluded.views,
      downloads = fiche_figures.downloads + excluded.downloads,
      favourites = fiche_figures.favourites + excluded.favourites,
      alert_listings = fiche_figures.alert_listings + excluded.alert_listings`.execute(db);
}

/** One fiche's figures in one month, « reprises » included. */
export interface MonthFigures {
  action_id: number;
  month: string;
  views: number;
  downloads: number;
  favourites: number;
  alert_listings: number;
  reprises: number;
}

/**
 * The monthly figures since `fromMonth` ("2026-01") of the published fiches in a scope: some
 * structures, some départements, or all (null). Reprises are the published fiches written
 * from each one, by the month they were first published.
 */
export async function listMonthFigures(
  db: Db,
  scope: { structureIds: number[]; departements: string[] | null },
  fromMonth: string,
): Promise<MonthFigures[]> {
  const inScope =
    scope.departements === null
      ? sql`true`
      : sql`(s.id = any(${scope.structureIds}::int[]) or s.departement_code = any(${scope.departements}::text[]))`;
  const { rows } = await sql<MonthFigures>`
    with scoped as (
      select a.id from actions a join structures s on s.id = a.structure_id
      where a.publication = 'published' and ${inScope}
    ), counted as (
      select f.action_id, to_char(f.month, 'YYYY-MM') as month, f.views, f.downloads, f.favourites, f.alert_listings,
        0 as reprises
      from fiche_figures f join scoped on scoped.id = f.action_id
      where f.month >= to_date(${fromMonth}, 'YYYY-MM')
      union all
      select c.inspired_by_id, to_char(c.published_at at time zone 'Europe/Paris', 'YYYY-MM'), 0, 0, 0, 0, 1
      from actions c join scoped on scoped.id = c.inspired_by_id
      where c.publication = 'published' and c.published_at >= to_date(${fromMonth}, 'YYYY-MM')
    )
    select action_id, month, sum(views)::int as views, sum(downloads)::int as downloads,
      sum(favourites)::int as favourites, sum(alert_listings)::int as alert_listings, sum(reprises)::int as reprises
    from counted group by action_id, month order by action_id, month`.execute(db);
  return rows;
}

/** The titles and structures of these fiches, for the figures' table. */
export async function listFigureFiches(db: Db, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('actions as a')
    .innerJoin('structures as s', 's.id', 'a.structure_id')
    .select(['a.id', 'a.title', 's.name as structure_name', 's.departement_code'])
    .where('a.id', 'in', ids)
    .execute();
}
