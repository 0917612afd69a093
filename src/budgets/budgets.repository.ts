import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { Budget } from './extract.js';

/** The resources text of these fiches. */
export async function readResourceTexts(db: Db, actionIds: number[]) {
  if (actionIds.length === 0) return [];
  return db.selectFrom('actions').select(['id', 'financial_resources']).where('id', 'in', actionIds).execute();
}

/** Writes the budgets of these fiches, replacing what was stored. */
export async function upsertBudgets(
  db: Db,
  rows: Array<{ actionId: number; budget: Budget; rangeCode: string | null; version: number }>,
): Promise<void> {
  if (rows.length === 0) return;
  const figure = (f: Budget['charges']) => (f ? String(f.amount) : null);
  await db
    .insertInto('action_budgets')
    .values(
      rows.map(({ actionId, budget, rangeCode, version }) => ({
        action_id: actionId,
        charges: figure(budget.charges),
        charges_confidence: budget.charges?.confidence ?? null,
        products: figure(budget.products),
        products_confidence: budget.products?.confidence ?? null,
        total: figure(budget.total),
        total_confidence: budget.total?.confidence ?? null,
        range_code: rangeCode,
        funders: JSON.stringify(budget.funders),
        extractor_version: version,
      })),
    )
    .onConflict((oc) =>
      oc.column('action_id').doUpdateSet((eb) => ({
        charges: eb.ref('excluded.charges'),
        charges_confidence: eb.ref('excluded.charges_confidence'),
        products: eb.ref('excluded.products'),
        products_confidence: eb.ref('excluded.products_confidence'),
        total: eb.ref('excluded.total'),
        total_confidence: eb.ref('excluded.total_confidence'),
        range_code: eb.ref('excluded.range_code'),
        funders: eb.ref('excluded.funders'),
        extractor_version: eb.ref('excluded.extractor_version'),
      })),
    )
    .execute();
}

/** Up to `limit` fiches whose budget was never read, or read by an older extractor. */
export async function listStaleBudgetIds(db: Db, version: number, limit: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    select a.id from actions a left join action_budgets b on b.action_id = a.id
    where b.action_id is null or b.extractor_version <> ${version}
    order by a.id limit ${limit}`.execute(db);
  return rows.map((r) => r.id);
}
