import { readFile } from 'node:fs/promises';
import type { FacetFilters } from '../../src/search/facets.js';
import type { Sort } from '../../src/search/search.model.js';

/** What kind of use a query stands for; broad ones are counted apart by their result count. */
export type QueryKind = 'common' | 'multi' | 'rare' | 'typo' | 'facets' | 'deep' | 'syntax';

/** One search of the benchmark mix: what a visitor typed and ticked. */
export interface MixQuery {
  kind: QueryKind;
  q?: string;
  filters?: FacetFilters;
  page?: number;
  sort?: Sort;
}

/** The versioned mix; a change to it is a new file, so that figures stay comparable. */
export const MIX_FILE = new URL('../queries-v1.json', import.meta.url);

/** Reads the mix, optionally only its first `limit` queries. */
export async function loadMix(limit?: number): Promise<MixQuery[]> {
  const mix = JSON.parse(await readFile(MIX_FILE, 'utf8')) as { version: number; queries: MixQuery[] };
  return limit ? mix.queries.slice(0, limit) : mix.queries;
}

/** The address of the results page for a query, as the pages build it. */
export function mixPath(base: string, query: MixQuery): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  for (const [name, codes] of Object.entries(query.filters ?? {}))
    for (const code of codes ?? []) params.append(name, code);
  if (query.sort) params.set('sort', query.sort);
  if (query.page && query.page > 1) params.set('page', String(query.page));
  const search = params.toString();
  return search ? `${base}?${search}` : base;
}
