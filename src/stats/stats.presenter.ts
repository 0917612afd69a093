import { FACET_NAMES, type FacetName } from '../search/facets.js';
import type { ResultCounts } from '../search/search.model.js';

/** The statistics of a search as the API gives them: only values with fiches. */
export function presentStatistics(stats: ResultCounts) {
  const counts = Object.fromEntries(
    FACET_NAMES.map((name) => [
      name,
      stats.counts[name].filter((v) => v.count > 0).map((v) => ({ code: v.code, label: v.label, count: v.count })),
    ]),
  ) as Record<FacetName, Array<{ code: string; label: string; count: number }>>;
  return {
    q: stats.q,
    filters: stats.filters,
    total: stats.total,
    counts,
    budgets: {
      withAmount: stats.medians.withAmount,
      median: stats.medians.overall?.median ?? null,
      byKeyword: stats.medians.byKeyword.map((k) => ({
        code: k.code,
        label: k.label,
        count: k.count,
        median: k.median,
      })),
    },
  };
}
