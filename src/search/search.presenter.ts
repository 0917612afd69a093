import { escapeHtml } from '@kitajs/html';
import { structurePath } from '../core/paths.js';
import type { SearchItem, SearchResult } from './search.model.js';
import { MARK_END, MARK_START } from './snippet.js';

const MARKS = new RegExp(`[${MARK_START}${MARK_END}]`, 'g');

/** A snippet as plain text. */
export function snippetText(snippet: string): string {
  return snippet.replace(MARKS, '');
}

/** A snippet as escaped HTML, the matched words in <mark>. */
export function safeSnippetHtml(snippet: string): string {
  return escapeHtml(snippet).replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>');
}

/** A result item as the API gives it. */
export function presentSearchItem(item: SearchItem) {
  return {
    id: item.id,
    title: item.title,
    url: item.path,
    structure: {
      id: item.structure.id,
      name: item.structure.name,
      url: structurePath(item.structure.id, item.structure.name),
      department: item.structure.department,
    },
    status: item.status,
    dimension: item.dimension,
    keywords: item.keywords,
    publics: item.publics,
    snippet: snippetText(item.snippet),
    snippetHtml: safeSnippetHtml(item.snippet),
    budget: item.budget,
    stale: item.stale,
  };
}

/** A page of results as the API gives it. */
export function presentSearchResult(result: SearchResult) {
  return {
    q: result.q,
    sort: result.sort,
    total: result.total,
    page: result.page,
    perPage: result.perPage,
    pageCount: result.pageCount,
    items: result.items.map(presentSearchItem),
    facets: result.facets,
    suggestion: result.suggestion,
  };
}

/** "aucune action", "1 action", "1 234 actions". */
export function countActions(n: number): string {
  if (n === 0) return 'aucune action';
  return `${n.toLocaleString('fr-FR')} ${n === 1 ? 'action' : 'actions'}`;
}

/** "aucune fiche action", "1 fiche action", "25 fiches actions". */
export function countFiches(n: number): string {
  if (n === 0) return 'aucune fiche action';
  return `${n.toLocaleString('fr-FR')} ${n === 1 ? 'fiche action' : 'fiches actions'}`;
}
