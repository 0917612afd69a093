import type { Freshness } from '../db/database.js';

/** The « Fraîcheur » facet's values, in the order it shows them. */
export const FRESHNESS_LABELS: Record<Freshness, string> = {
  recent: 'Moins d’un an',
  old: 'Plus d’un an',
  stale: 'À vérifier',
};

/** Where a freshness code comes in the facet, or undefined for a code that does not exist. */
export function freshnessOrder(code: string): number | undefined {
  const index = Object.keys(FRESHNESS_LABELS).indexOf(code);
  return index < 0 ? undefined : index;
}

/** The date a fiche is « À jour au »: its last edit or its last confirmation, whichever is later. */
export function upToDate(fiche: { updatedAt: Date; checkedAt: Date | null }): Date {
  return fiche.checkedAt && fiche.checkedAt > fiche.updatedAt ? fiche.checkedAt : fiche.updatedAt;
}
