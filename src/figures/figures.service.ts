import { can, reviewsAnywhere, type SessionUser, writesAnywhere } from '../authorization/authorization.js';
import { AppError } from '../core/errors.js';
import { fichePath } from '../core/paths.js';
import type { Db } from '../db/database.js';
import { placedFiche } from '../publishing/workflow.js';
import { listFigureFiches, listMonthFigures, type MonthFigures } from './figures.repository.js';
import { lastMonths } from './months.js';

/** What « Mes statistiques » counts, in its columns' order. */
export const FIGURE_COLUMNS = [
  { key: 'views', label: 'Lectures' },
  { key: 'downloads', label: 'PDF' },
  { key: 'favourites', label: 'Favoris' },
  { key: 'alert_listings', label: 'Dans une alerte' },
  { key: 'reprises', label: 'Reprises' },
] as const;

type Totals = Record<(typeof FIGURE_COLUMNS)[number]['key'], number>;
const MONTHS = 12;
// A reviewer of a large département gets the most read fiches, not thousands of rows.
const MAX_ROWS = 100;

const zero = (): Totals => ({ views: 0, downloads: 0, favourites: 0, alert_listings: 0, reprises: 0 });

function addInto(totals: Totals, row: MonthFigures): void {
  for (const { key } of FIGURE_COLUMNS) totals[key] += row[key];
}

/** The figures of the last 12 months: by month for the chart, by fiche for the table. */
export interface FiguresReport {
  months: Array<{ month: string } & Totals>;
  fiches: Array<{ id: number; title: string; url: string; structureName: string } & Totals>;
  /** How many fiches had any figure; the table lists the MAX_ROWS most read. */
  counted: number;
  /** The one fiche the report is about, when it is. */
  fiche?: { id: number; title: string; url: string };
}

/**
 * The figures a user follows: the fiches of the structures they write for and of the
 * départements they review (all for an admin), or one of those fiches. The public never
 * sees them.
 */
export async function figuresFor(
  db: Db,
  user: SessionUser,
  ficheId?: number,
  now = new Date(),
): Promise<FiguresReport> {
  if (!writesAnywhere(user) && !reviewsAnywhere(user)) {
    throw new AppError('forbidden', 'Les statistiques sont celles des fiches que vous écrivez ou relisez.');
  }
  const months = lastMonths(now, MONTHS);
  let rows = await listMonthFigures(
    db,
    { structureIds: user.structureIds, departements: user.isAdmin ? null : user.departementCodes },
    months[0],
  );
  let fiche: FiguresReport['fiche'];
  if (ficheId !== undefined) {
    const state = await placedFiche(db, ficheId);
    if (!can(user, 'fiche:archive', state.placement)) {
      throw new AppError('forbidden', 'Cette fiche n’est ni de votre structure ni de vos départements.');
    }
    fiche = { id: ficheId, title: state.title, url: fichePath(ficheId, state.title) };
    rows = rows.filter((r) => r.action_id === ficheId);
  }
  const byMonth = new Map(months.map((month) => [month, zero()]));
  const byFiche = new Map<number, Totals>();
  for (const row of rows) {
    const month = byMonth.get(row.month);
    if (month) addInto(month, row);
    if (!byFiche.has(row.action_id)) byFiche.set(row.action_id, zero());
    addInto(byFiche.get(row.action_id) as Totals, row);
  }
  const ranked = [...byFiche].sort(([a, x], [b, y]) => y.views - x.views || a - b).slice(0, MAX_ROWS);
  const named = new Map(
    (
      await listFigureFiches(
        db,
        ranked.map(([id]) => id),
      )
    ).map((f) => [f.id, f]),
  );
  return {
    months: [...byMonth].map(([month, totals]) => ({ month, ...totals })),
    fiches: ranked.flatMap(([id, totals]) => {
      const f = named.get(id);
      return f ? [{ id, title: f.title, url: fichePath(id, f.title), structureName: f.structure_name, ...totals }] : [];
    }),
    counted: byFiche.size,
    fiche,
  };
}
