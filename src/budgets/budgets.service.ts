import type { Db } from '../db/database.js';
import { listStaleBudgetIds, readResourceTexts, upsertBudgets } from './budgets.repository.js';
import { type Budget, EXTRACTOR_VERSION, extractBudget } from './extract.js';

/** A class of budgets for the facet, the map's legend and the statistics. */
export interface BudgetRange {
  code: string;
  label: string;
  /** Inclusive lower bound and exclusive upper bound, in euros. */
  min: number;
  max: number;
}

/** The budget classes, smallest first; a fiche with no stated amount is "non chiffré". */
export const BUDGET_RANGES: BudgetRange[] = [
  { code: 'moins-1000', label: 'Moins de 1 000 €', min: 0, max: 1000 },
  { code: '1000-5000', label: 'De 1 000 à 5 000 €', min: 1000, max: 5000 },
  { code: '5000-20000', label: 'De 5 000 à 20 000 €', min: 5000, max: 20000 },
  { code: 'plus-20000', label: '20 000 € et plus', min: 20000, max: Number.POSITIVE_INFINITY },
];
export const UNKNOWN_BUDGET = { code: 'non-chiffre', label: 'Non chiffré' };

const ALL_RANGES = [...BUDGET_RANGES, UNKNOWN_BUDGET];

/** The label of a budget class, or undefined for an unknown code. */
export function budgetRangeLabel(code: string): string | undefined {
  return ALL_RANGES.find((r) => r.code === code)?.label;
}

/** Where a class comes in the list: smallest budgets first, "non chiffré" last. */
export function budgetRangeOrder(code: string): number {
  return ALL_RANGES.findIndex((r) => r.code === code);
}

/** The class of an amount. */
export function budgetRangeOf(total: number | null): string | null {
  if (total === null) return null;
  return BUDGET_RANGES.find((r) => total >= r.min && total < r.max)?.code ?? null;
}

/** What reads budgets from resources texts, in their order: in this thread, or in an import's worker. */
export type BudgetReader = (texts: Array<string | null>) => Promise<Budget[]>;

/** Reads budgets in this thread. */
export const readBudgetsHere: BudgetReader = async (texts) => texts.map(extractBudget);

/**
 * Reads the budgets of these fiches again, in the transaction that changed them: reads their
 * resources texts, has `read` extract the budgets, and returns what stores them once
 * extracted. The transaction may run other statements meanwhile, while a worker reads them.
 */
export async function startBudgetRefresh(
  db: Db,
  actionIds: number[],
  read: BudgetReader,
): Promise<() => Promise<void>> {
  const rows = await readResourceTexts(db, actionIds);
  const budgets = read(rows.map((row) => row.financial_resources));
  // Awaited by the caller's `store`; a failure meanwhile must not count as unhandled.
  budgets.catch(() => {});
  return async () => {
    const extracted = await budgets;
    await upsertBudgets(
      db,
      rows.map((row, i) => ({
        actionId: row.id,
        budget: extracted[i],
        rangeCode: budgetRangeOf(extracted[i].total?.amount ?? null),
        version: EXTRACTOR_VERSION,
      })),
    );
  };
}

/** Fiches whose budget this version of the extractor has not read yet, a batch at a time. */
export function listStaleBudgets(db: Db, limit: number): Promise<number[]> {
  return listStaleBudgetIds(db, EXTRACTOR_VERSION, limit);
}
