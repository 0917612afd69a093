import { escapeHtml } from '@kitajs/html';
import { formatCount } from '../core/typography.js';
import { FACET_NAMES, FACETS, type FacetName } from './facets.js';
import type { FacetValue, SearchResult } from './search.model.js';
import { searchHref } from './search.params.js';

// A long facet shows its first values and folds the others, so that the page stays short.
export const VISIBLE_VALUES = 8;

/**
 * One value of a facet: its checkbox, label and count. Written out rather than in JSX: a results
 * page has 171 of them, which JSX's attribute handling made a seventh of the page's CPU time.
 */
export function FacetOption({ facet, value }: { facet: FacetName; value: FacetValue }): JSX.Element {
  const id = escapeHtml(`f-${facet}-${value.code}`);
  const zero = value.count === 0 ? ' class="facet-zero"' : '';
  const checked = value.selected ? ' checked' : '';
  return (
    `<li${zero}><input type="checkbox" id="${id}" name="${facet}" value="${escapeHtml(value.code)}"${checked}/>` +
    `<label for="${id}"><span>${escapeHtml(value.label)}</span> <span class="facet-count">(${formatCount(value.count)})</span></label></li>`
  );
}

/** One facet of the search: its values with their counts, the first ones shown, the rest folded. */
export function Facet({ name, values }: { name: FacetName; values: FacetValue[] }): JSX.Element {
  const visible = values.filter((v, i) => i < VISIBLE_VALUES || v.selected);
  const folded = values.filter((v, i) => i >= VISIBLE_VALUES && !v.selected);
  return (
    <fieldset class="facet" id={`facette-${name}`}>
      <legend safe>{FACETS[name].title}</legend>
      <ul>
        {visible.map((value) => (
          <FacetOption facet={name} value={value} />
        ))}
      </ul>
      {folded.length > 0 ? (
        <details class="facet-more">
          <summary safe>{`Voir ${folded.length} autres`}</summary>
          <ul>
            {folded.map((value) => (
              <FacetOption facet={name} value={value} />
            ))}
          </ul>
        </details>
      ) : (
        ''
      )}
    </fieldset>
  );
}

/** The filters in use, each a link that removes it, and one that removes them all. */
export function ActiveFilters({ result, basePath }: { result: SearchResult; basePath: string }): JSX.Element {
  const active = FACET_NAMES.flatMap((name) =>
    result.facets[name].filter((v) => v.selected).map((v) => ({ name, value: v })),
  );
  if (active.length === 0) return '';
  const without = (name: FacetName, code: string) =>
    searchHref(basePath, {
      q: result.q,
      sort: result.sort,
      page: 1,
      filters: { ...result.filters, [name]: result.filters[name].filter((c) => c !== code) },
    });
  return (
    <div class="active-filters">
      <p class="active-filters-title">Filtres actifs&nbsp;:</p>
      <ul>
        {active.map(({ name, value }) => (
          <li>
            <a href={without(name, value.code)}>
              <span safe>{`${FACETS[name].title}\u00a0: ${value.label}`}</span>
              <span class="visually-hidden"> (retirer ce filtre)</span>
              <span aria-hidden="true"> ×</span>
            </a>
          </li>
        ))}
      </ul>
      <a href={searchHref(basePath, { q: result.q, page: 1, filters: {} })}>Retirer tous les filtres</a>
    </div>
  );
}
