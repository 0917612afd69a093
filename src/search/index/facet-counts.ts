import { FACET_NAMES, type FacetName } from '../facets.js';
import { andInto, type Bits, orInto } from './bits.js';
import type { FacetColumn } from './columns.js';
import { intersectionOf, toRoaring, unionOf } from './roaring.js';

/** A facet filtered on, by its place in FACET_NAMES, and which of its value ids it accepts. */
interface Selection {
  index: number;
  accepts: Uint8Array;
}

/** What `countFacets` gives: the number of results, their slots, and each facet's counts by code. */
export interface FacetCounts {
  total: number;
  results: Bits;
  counts: Record<FacetName, Map<string, number>>;
}

/**
 * Counts the facets over the matched slots: the total with every filter, and each facet's values
 * with the other facets' filters only (its own values are alternatives), or with them all
 * (`within`, the counts among the results). Returns the slots of the results too.
 *
 * The counts come from each value's roaring bitmap: the matches are copied into one, then
 * intersected with each value's set by CRoaring, which counts with the processor's popcount
 * (ADR 0026; bench:bitsets, 100 000 fiches: 0.2 ms median where typed-array bitsets took 1.5 ms
 * and a pass over the matches' values 3.6 ms).
 */
export function countFacets(
  matched: Bits,
  facets: Record<FacetName, FacetColumn>,
  filters: Partial<Record<FacetName, string[]>>,
  within: boolean,
): FacetCounts {
  const columns = FACET_NAMES.map((name) => facets[name]);
  const selected = selectionsOf(columns, filters);
  const results = matched.slice();
  for (const { any } of acceptedSets(columns, selected, matched.length)) andInto(results, any);
  const accepted = selected.map(({ index, accepts }) => ({
    index,
    any: unionOf(columns[index].codes.flatMap((_code, id) => (accepts[id] ? [columns[index].roaringOf(id)] : []))),
  }));
  const matches = toRoaring(matched);
  // The matches with every filter but one facet's own (its values are alternatives).
  const allBut = (except: number) =>
    accepted.reduce((out, { index, any }) => (index === except ? out : intersectionOf(out, any)), matches);
  const among = allBut(-1);
  const counts = {} as Record<FacetName, Map<string, number>>;
  FACET_NAMES.forEach((name, f) => {
    const column = columns[f];
    const set = !within && selected.some((s) => s.index === f) ? allBut(f) : among;
    const byCode = new Map<string, number>();
    column.codes.forEach((code, id) => {
      const n = set.andCardinality(column.roaringOf(id));
      if (n > 0) byCode.set(code, n);
    });
    counts[name] = byCode;
  });
  return { total: among.size, results, counts };
}

/** The facets filtered on, with the value ids each accepts; unknown codes accept nothing. */
function selectionsOf(columns: FacetColumn[], filters: Partial<Record<FacetName, string[]>>): Selection[] {
  const selected: Selection[] = [];
  FACET_NAMES.forEach((name, index) => {
    const codes = filters[name] ?? [];
    if (codes.length === 0) return;
    const column = columns[index];
    const accepts = new Uint8Array(column.codes.length);
    for (const code of codes) {
      const id = column.ids.get(code);
      if (id !== undefined) accepts[id] = 1;
    }
    selected.push({ index, accepts });
  });
  return selected;
}

/** For each facet filtered on, the slots holding one of the values it accepts. */
function acceptedSets(columns: FacetColumn[], selected: Selection[], words: number) {
  return selected.map(({ index, accepts }) => {
    const any = new Uint32Array(words);
    columns[index].bits.forEach((bits, id) => {
      if (accepts[id]) orInto(any, bits);
    });
    return { index, any };
  });
}

/** The matched slots that every filter accepts: the results, as `countFacets` gives them. */
export function filterMatches(
  matched: Bits,
  facets: Record<FacetName, FacetColumn>,
  filters: Partial<Record<FacetName, string[]>>,
): Bits {
  const columns = FACET_NAMES.map((name) => facets[name]);
  const results = matched.slice();
  for (const { any } of acceptedSets(columns, selectionsOf(columns, filters), matched.length)) andInto(results, any);
  return results;
}
