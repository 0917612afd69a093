import type { Children } from '@kitajs/html';
import { departementPath } from '../core/paths.js';
import { frenchSpacing, quote } from '../core/typography.js';
import { EXPORT_FORMATS, EXPORT_TYPES } from '../exports/exports.service.js';
import { FACET_NAMES, FACETS, type FacetName } from './facets.js';
import { defaultSort, searchHref, withParam } from './search.params.js';
import { safeSnippetHtml } from './search.presenter.js';
import type { FacetValue, SearchItem, SearchResult, Sort } from './search.service.js';

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

const SORT_LABELS: Record<Sort, string> = {
  relevance: 'Pertinence',
  recent: 'Plus récentes',
  title: 'Titre (A à Z)',
  budget: 'Budget le plus élevé',
};

// A long facet shows its first values and folds the others, so that the page stays short.
const VISIBLE_VALUES = 8;

function FacetOption({ facet, value }: { facet: FacetName; value: FacetValue }): JSX.Element {
  const id = `f-${facet}-${value.code}`;
  return (
    <li class={value.count === 0 ? 'facet-zero' : undefined}>
      <input type="checkbox" id={id} name={facet} value={value.code} checked={value.selected} />
      <label for={id}>
        <span safe>{value.label}</span>{' '}
        <span class="facet-count" safe>
          ({value.count.toLocaleString('fr-FR')})
        </span>
      </label>
    </li>
  );
}

function Facet({ name, values }: { name: FacetName; values: FacetValue[] }): JSX.Element {
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

function ActiveFilters({ result, basePath }: { result: SearchResult; basePath: string }): JSX.Element {
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
      <p class="active-filters-title">Filtres actifs :</p>
      <ul>
        {active.map(({ name, value }) => (
          <li>
            <a href={without(name, value.code)}>
              <span safe>{`${FACETS[name].title} : ${value.label}`}</span>
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

/** A link to each export format of an export address. */
export function ExportLinks({ href }: { href: string }): JSX.Element {
  return (
    <>
      {EXPORT_FORMATS.map((format, i) => (
        <>
          {i > 0 && ' · '}
          <a href={withParam(href, 'format', format)} download="" safe>
            {EXPORT_TYPES[format].label}
          </a>
        </>
      ))}
    </>
  );
}

// What a reader can take away from a search: its figures and its fiches in a file.
function Reuse({ result }: { result: SearchResult }): JSX.Element {
  const scope = { q: result.q, page: 1, filters: result.filters };
  return (
    <aside class="reuse" aria-labelledby="reutiliser-titre">
      <h2 id="reutiliser-titre" class="reuse-title">
        Réutiliser cette recherche
      </h2>
      <p>
        <a href={searchHref('/statistiques', scope)}>Statistiques et carte de ces résultats</a>
        {' · '}
        <a href={searchHref('/alertes/nouvelle', scope)}>Recevoir les nouvelles fiches par e-mail</a>
      </p>
      <p>
        <span safe>{frenchSpacing(`Exporter ${countFiches(result.total)} :`)}</span>{' '}
        <ExportLinks href={searchHref('/actions/export', scope)} />
      </p>
    </aside>
  );
}

/** A fiche in a list of results or of similar actions; `children` come after it (a button). */
export function ResultItem({
  item,
  headingLevel = 3,
  children,
}: {
  item: SearchItem;
  headingLevel?: 2 | 3;
  children?: Children;
}): JSX.Element {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <li class="result">
      <Heading class="result-title">
        <a href={item.path} safe>
          {item.title}
        </a>
      </Heading>
      <p class="meta">
        <span safe>{item.structure.name}</span>
        {' — '}
        <a href={departementPath(item.structure.department.code)} safe>
          {`${item.structure.department.name} (${item.structure.department.code})`}
        </a>
        {item.status ? (
          <>
            {' · '}
            <span class={`badge badge-${item.status.code}`} safe>
              {item.status.label}
            </span>
          </>
        ) : (
          ''
        )}
      </p>
      {item.snippet ? <p class="snippet">{safeSnippetHtml(item.snippet)}</p> : ''}
      {item.keywords.length > 0 && (
        <ul class="tags" aria-label="Mots clés">
          {item.keywords.map((k) => (
            <li safe>{k.label}</li>
          ))}
        </ul>
      )}
      {children}
    </li>
  );
}

function pageWindow(page: number, pageCount: number): Array<number | 'gap'> {
  const pages = new Set([1, pageCount, page - 2, page - 1, page, page + 1, page + 2]);
  const sorted = [...pages].filter((p) => p >= 1 && p <= pageCount).sort((a, b) => a - b);
  return sorted.flatMap((p, i) => (i > 0 && p - sorted[i - 1] > 1 ? ['gap' as const, p] : [p]));
}

/** Page links: previous, numbers around the current page, next. */
export function Pagination({ result, basePath }: { result: SearchResult; basePath: string }): JSX.Element {
  if (result.pageCount <= 1) return '';
  const href = (page: number) =>
    searchHref(basePath, { q: result.q, sort: result.sort, page, filters: result.filters });
  return (
    <nav class="pagination" aria-label="Pages de résultats">
      <ul>
        {result.page > 1 && (
          <li>
            <a href={href(result.page - 1)} rel="prev">
              ‹ Précédente
            </a>
          </li>
        )}
        {pageWindow(result.page, result.pageCount).map((p) =>
          p === 'gap' ? (
            <li class="gap" aria-hidden="true">
              …
            </li>
          ) : (
            <li>
              {p === result.page ? (
                <a href={href(p)} aria-current="page">
                  <span class="visually-hidden">Page </span>
                  {p}
                </a>
              ) : (
                <a href={href(p)}>
                  <span class="visually-hidden">Page </span>
                  {p}
                </a>
              )}
            </li>
          ),
        )}
        {result.page < result.pageCount && (
          <li>
            <a href={href(result.page + 1)} rel="next">
              Suivante ›
            </a>
          </li>
        )}
      </ul>
    </nav>
  );
}

/** The text of the results heading, also announced to screen readers when the results change. */
export function resultsHeadingText(result: SearchResult): string {
  const count = countActions(result.total);
  return frenchSpacing(
    `${count.charAt(0).toUpperCase()}${count.slice(1)}${result.q ? ` pour ${quote(result.q)}` : ''}`,
  );
}

/**
 * The search form, facets and results. `basePath` is where the form goes (/actions, or a
 * département's page, whose own filter is then fixed and not shown).
 */
export function SearchView(props: {
  result: SearchResult;
  basePath: string;
  hiddenFacets?: FacetName[];
  searchLabel?: string;
}): JSX.Element {
  const { basePath } = props;
  // A fixed filter (the département of a département's page) is part of the page, not of its address.
  const hidden = props.hiddenFacets ?? [];
  const result: SearchResult = {
    ...props.result,
    filters: Object.fromEntries(
      FACET_NAMES.map((name) => [name, hidden.includes(name) ? [] : props.result.filters[name]]),
    ) as SearchResult['filters'],
    facets: Object.fromEntries(
      FACET_NAMES.map((name) => [name, hidden.includes(name) ? [] : props.result.facets[name]]),
    ) as SearchResult['facets'],
  };
  // The default order is the empty value, so that a new query typed on a page sorted by default
  // is sorted by relevance.
  const fallback = defaultSort(result.q);
  const sorts = [
    { value: '', label: SORT_LABELS[fallback], selected: result.sort === fallback },
    ...(['recent', 'title', 'budget'] as const)
      .filter((s) => s !== fallback)
      .map((s) => ({ value: s, label: SORT_LABELS[s], selected: result.sort === s })),
  ];
  const facets = FACET_NAMES.filter((name) => result.facets[name].length > 0);
  const suggestionHref = result.suggestion
    ? searchHref(basePath, { q: result.suggestion, page: 1, filters: result.filters })
    : '';
  return (
    <form class="search" method="get" action={basePath} id="recherche" data-search>
      <search class="search-bar">
        <label for="q" safe>
          {props.searchLabel ?? 'Rechercher une action'}
        </label>
        <div class="search-row">
          <input
            type="search"
            id="q"
            name="q"
            value={result.q}
            maxlength="300"
            autocomplete="off"
            aria-describedby="q-aide"
          />
          <button type="submit">Rechercher</button>
        </div>
        <p id="q-aide" class="hint" safe>
          {frenchSpacing(
            'Par exemple « numérique seniors » ou « séjour familles ». Guillemets droits pour une expression exacte, un tiret devant un mot pour l’exclure, OR entre deux mots pour l’un ou l’autre.',
          )}
        </p>
      </search>
      <p class="visually-hidden" role="status" id="search-status" safe>
        {resultsHeadingText(result)}
      </p>
      <div class="search-layout" data-results>
        {facets.length > 0 && (
          <details class="facets" open data-facets>
            <summary>Filtrer les résultats</summary>
            {facets.map((name) => (
              <Facet name={name} values={result.facets[name]} />
            ))}
            <button type="submit" class="secondary" data-apply>
              Appliquer les filtres
            </button>
          </details>
        )}
        <section class="results" aria-labelledby="resultats-titre">
          <div class="results-head">
            <h2 id="resultats-titre" safe>
              {resultsHeadingText(result)}
            </h2>
            <div class="sort">
              <label for="tri">Trier par</label>
              <select id="tri" name="sort">
                {sorts.map((s) => (
                  <option value={s.value} selected={s.selected} safe>
                    {s.label}
                  </option>
                ))}
              </select>
              <button type="submit" class="secondary" data-apply>
                Trier
              </button>
            </div>
          </div>
          <ActiveFilters result={result} basePath={basePath} />
          {result.suggestion ? (
            <p class="suggestion">
              Vouliez-vous dire&nbsp;:{' '}
              <a href={suggestionHref} safe>
                {result.suggestion}
              </a>
              &nbsp;?
            </p>
          ) : (
            ''
          )}
          {result.items.length > 0 ? (
            <ol class="result-list" start={String((result.page - 1) * result.perPage + 1)}>
              {result.items.map((item) => (
                <ResultItem item={item} />
              ))}
            </ol>
          ) : (
            <p class="empty">
              {result.total > 0
                ? 'Cette page est au-delà des résultats.'
                : 'Aucune action ne correspond. Essayez moins de mots, ou retirez un filtre.'}
            </p>
          )}
          <Pagination result={result} basePath={basePath} />
          {result.total > 0 && <Reuse result={props.result} />}
        </section>
      </div>
    </form>
  );
}
