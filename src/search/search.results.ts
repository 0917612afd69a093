import { FRESHNESS_LABELS, freshnessOrder } from '../actions/freshness.js';
import { budgetRangeLabel, budgetRangeOrder } from '../budgets/budgets.service.js';
import { fichePath } from '../core/paths.js';
import type { Freshness, VocabularyTableName } from '../db/database.js';
import type { ReferenceIndex } from '../vocabularies/vocabularies.service.js';
import { FACET_NAMES, FACETS, type FacetFilters, type FacetName } from './facets.js';
import type { readResultRows } from './result-rows.repository.js';
import { type FacetValue, type SearchItem, type Term, UNKNOWN_YEAR } from './search.model.js';

// A result's items and facets, from the rows and counts the repository or the index gives.

/** The label of a facet value, or undefined for a code that does not exist. */
export function facetLabel(ref: ReferenceIndex, facet: FacetName, code: string): string | undefined {
  const def = FACETS[facet];
  if (def.vocabulary) return ref.terms[def.vocabulary].get(code)?.label;
  if (facet === 'department') return ref.departements.get(code)?.name;
  if (facet === 'budget') return budgetRangeLabel(code);
  if (facet === 'freshness') return FRESHNESS_LABELS[code as Freshness];
  if (facet === 'year') return code === UNKNOWN_YEAR ? 'Année inconnue' : /^\d{4}$/.test(code) ? code : undefined;
  return ref.regions.get(code);
}

/** The total of a list of count rows (its `total` row). */
export function totalOf(counts: Array<{ facet: string; n: number }>): number {
  return counts.find((c) => c.facet === 'total')?.n ?? 0;
}

/** A result row as the repository reads it. */
export type ResultRow = Awaited<ReturnType<typeof readResultRows>>[number];

/** A result row as an item of the list, its codes labelled. */
export function toItem(row: ResultRow, ref: ReferenceIndex): SearchItem {
  const term = (table: VocabularyTableName, code: string): Term => ({
    code,
    label: ref.terms[table].get(code)?.label ?? code,
  });
  return {
    id: row.id,
    title: row.title,
    path: fichePath(row.id, row.title),
    structure: {
      id: row.structure_id,
      name: row.structure_name,
      department: { code: row.departement_code, name: row.departement_name },
    },
    status: row.status_code ? term('statuses', row.status_code) : null,
    dimension: row.dimension_code ? term('dimensions', row.dimension_code) : null,
    keywords: row.keyword_codes.map((c) => term('keywords', c)),
    publics: row.public_codes.map((c) => term('publics', c)),
    snippet: row.headline ?? shorten(row.summary ?? '', 240),
    budget: row.budget_total === null ? null : Number(row.budget_total),
    stale: row.freshness === 'stale',
  };
}

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  return `${flat.slice(0, max).replace(/\s+\S*$/, '')} …`;
}

function facetOrder(ref: ReferenceIndex, facet: FacetName, code: string): number {
  const def = FACETS[facet];
  if (facet === 'budget') return budgetRangeOrder(code);
  if (facet === 'freshness') return freshnessOrder(code) ?? 0;
  return def.vocabulary ? (ref.terms[def.vocabulary].get(code)?.sort_order ?? 0) : 0;
}

/** Each facet's values with their counts, in the facet's order; a selected value stays with its 0. */
export function buildFacets(
  counts: Array<{ facet: string; code: string | null; n: number }>,
  filters: Required<FacetFilters>,
  ref: ReferenceIndex,
): Record<FacetName, FacetValue[]> {
  const facets = {} as Record<FacetName, FacetValue[]>;
  for (const name of FACET_NAMES) {
    const values = new Map<string, number>();
    for (const c of counts) if (c.facet === name && c.code !== null) values.set(c.code, c.n);
    // A selected value stays visible with its 0, so that it can be unticked.
    for (const code of filters[name]) if (!values.has(code)) values.set(code, 0);
    facets[name] = [...values].map(([code, count]) => ({
      code,
      label: facetLabel(ref, name, code) ?? code,
      count,
      selected: filters[name].includes(code),
    }));
    facets[name].sort((a, b) =>
      FACETS[name].byCount
        ? b.count - a.count || a.label.localeCompare(b.label, 'fr')
        : name === 'department'
          ? a.code.localeCompare(b.code)
          : name === 'year'
            ? // The latest year first, « année inconnue » last.
              Number(a.code === UNKNOWN_YEAR) - Number(b.code === UNKNOWN_YEAR) || b.code.localeCompare(a.code)
            : facetOrder(ref, name, a.code) - facetOrder(ref, name, b.code) || a.label.localeCompare(b.label, 'fr'),
    );
  }
  return facets;
}
