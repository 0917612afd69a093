import { frenchSpacing, quote } from '../core/typography.js';
import { FACET_NAMES, FACETS, type FacetFilters, type FacetName } from './facets.js';
import type { FacetValue, SearchRequest, Sort } from './search.model.js';

// A search as its address writes it: read by the pages, and by the alerts job, which stores
// searches as their parameters and reads them back without any view.

/** The state a search page keeps in its address. */
export interface SearchState {
  q: string;
  sort?: Sort;
  page: number;
  filters: FacetFilters;
}

/** The address of a search page for a state: only what differs from the defaults is written. */
export function searchHref(basePath: string, state: SearchState): string {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  if (state.sort && state.sort !== defaultSort(state.q)) params.set('sort', state.sort);
  for (const name of FACET_NAMES) for (const code of state.filters[name] ?? []) params.append(name, code);
  if (state.page > 1) params.set('page', String(state.page));
  const query = params.toString();
  return query ? `${basePath}?${query}` : basePath;
}

/** A search's text and filters as its address writes them ("q=…&keyword=…"), to be stored. */
export function searchParamsOf(request: SearchRequest): string {
  return searchHref('', { q: (request.q ?? '').trim(), page: 1, filters: request.filters ?? {} }).replace(/^\?/, '');
}

/** The search that stored parameters ("q=…&keyword=…") describe. */
export function searchRequestOf(params: string): SearchRequest {
  const query = new URLSearchParams(params);
  const filters: FacetFilters = {};
  for (const name of FACET_NAMES) {
    const codes = query.getAll(name);
    if (codes.length > 0) filters[name] = codes;
  }
  return { q: query.get('q') ?? undefined, filters };
}

/** The order a search takes when none is chosen: relevance when there is text, else the latest first. */
export function defaultSort(q: string): Sort {
  return q ? 'relevance' : 'recent';
}

/** An address with one more parameter. */
export function withParam(href: string, name: string, value: string): string {
  return `${href}${href.includes('?') ? '&' : '?'}${new URLSearchParams({ [name]: value })}`;
}

/**
 * A search in words, for a statistics page or an alert: "Fiches contenant « numérique » ;
 * Mots clés : Culture ou Santé ; Département : Nord".
 */
export function describeSearch(q: string, facets: Record<FacetName, FacetValue[]>): string {
  const parts = FACET_NAMES.flatMap((name) => {
    const selected = facets[name].filter((v) => v.selected).map((v) => v.label);
    return selected.length > 0 ? [`${FACETS[name].title} : ${selected.join(' ou ')}`] : [];
  });
  if (q) parts.unshift(`Texte : ${quote(q)}`);
  return frenchSpacing(parts.length > 0 ? parts.join(' ; ') : 'Toutes les fiches publiées');
}
