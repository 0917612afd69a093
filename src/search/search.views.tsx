import { frenchSpacing, quote } from '../core/typography.js';
import { FACET_NAMES, type FacetName } from './facets.js';
import { ActiveFilters, Facet } from './facets.views.js';
import { Pagination, ResultItem, Reuse } from './results.views.js';
import type { SearchResult, Sort } from './search.model.js';
import { defaultSort, searchHref } from './search.params.js';
import { countActions } from './search.presenter.js';

const SORT_LABELS: Record<Sort, string> = {
  relevance: 'Pertinence',
  recent: 'Plus récentes',
  title: 'Titre (A à Z)',
  budget: 'Budget le plus élevé',
  department: 'Département',
};

/** The text of the results heading, also announced to screen readers when the results change. */
export function resultsHeadingText(result: SearchResult): string {
  const count = countActions(result.total);
  return frenchSpacing(
    `${count.charAt(0).toUpperCase()}${count.slice(1)}${result.q ? ` pour ${quote(result.q)}` : ''}`,
  );
}

/** The search field, its button and its help. */
export function SearchBar(props: { label: string; q: string }): JSX.Element {
  return (
    <search class="search-bar">
      <label for="q" safe>
        {props.label}
      </label>
      <div class="search-row">
        <input
          type="search"
          id="q"
          name="q"
          value={props.q}
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
  );
}

/**
 * The order of the results. The default order is the empty value, so that a new query typed
 * on a page sorted by default is sorted by relevance.
 */
function SortControl({ result }: { result: SearchResult }): JSX.Element {
  const fallback = defaultSort(result.q);
  const sorts = [
    { value: '', label: SORT_LABELS[fallback], selected: result.sort === fallback },
    ...(['recent', 'title', 'budget', 'department'] as const)
      .filter((s) => s !== fallback)
      .map((s) => ({ value: s, label: SORT_LABELS[s], selected: result.sort === s })),
  ];
  return (
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
  );
}

/** The results: their count and order, the active filters, a suggestion, the list and its pages. */
function ResultsSection(props: {
  result: SearchResult;
  original: SearchResult;
  basePath: string;
  suggested?: SearchResult;
}): JSX.Element {
  const { result, basePath, suggested } = props;
  const suggestionHref = result.suggestion
    ? searchHref(basePath, { q: result.suggestion, page: 1, filters: result.filters })
    : '';
  return (
    <section class="results" aria-labelledby="resultats-titre">
      <div class="results-head">
        <h2 id="resultats-titre" safe>
          {resultsHeadingText(result)}
        </h2>
        {result.total > 0 ? <SortControl result={result} /> : ''}
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
      {suggested && suggested.total > 0 && result.total === 0 ? (
        <SuggestedResults suggested={suggested} href={suggestionHref} />
      ) : (
        ''
      )}
      <Pagination result={result} basePath={basePath} />
      {result.total > 0 && <Reuse result={props.original} />}
    </section>
  );
}

/** The first results of the correction, when the words as typed find nothing. */
function SuggestedResults({ suggested, href }: { suggested: SearchResult; href: string }): JSX.Element {
  return (
    <section class="suggested" aria-labelledby="suggestion-titre">
      <h3 id="suggestion-titre" safe>
        {frenchSpacing(`Résultats pour « ${suggested.q} »`)}
      </h3>
      <ol class="result-list">
        {suggested.items.map((item) => (
          <ResultItem item={item} headingLevel={4} />
        ))}
      </ol>
      {suggested.total > suggested.items.length ? (
        <p>
          <a href={href} safe>
            {`Voir les ${countActions(suggested.total)} pour « ${suggested.q} »`}
          </a>
        </p>
      ) : (
        ''
      )}
    </section>
  );
}

/**
 * The search form, facets and results. `basePath` is where the form goes (/actions, or a
 * département's page, whose own filter is then fixed and not shown).
 */
export function SearchView(props: {
  result: SearchResult;
  /** The correction's first results, when the search finds nothing and a correction does. */
  suggested?: SearchResult;
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
  const facets = FACET_NAMES.filter((name) => result.facets[name].length > 0);
  return (
    <form class="search" method="get" action={basePath} id="recherche" data-search>
      <SearchBar label={props.searchLabel ?? 'Rechercher une action'} q={result.q} />
      <p class="visually-hidden" role="status" id="search-status" safe>
        {resultsHeadingText(result)}
      </p>
      <div class="search-layout" data-results>
        {facets.length > 0 && (
          <details class="facets" open data-facets>
            <summary>Filtrer les résultats</summary>
            {/* At the top too: without JavaScript, a reader who ticks the first box need not scroll past them all. */}
            <button type="submit" class="secondary apply-top" data-apply>
              Appliquer les filtres
            </button>
            {facets.map((name) => (
              <Facet name={name} values={result.facets[name]} />
            ))}
            <button type="submit" class="secondary" data-apply>
              Appliquer les filtres
            </button>
          </details>
        )}
        <ResultsSection result={result} original={props.result} basePath={basePath} suggested={props.suggested} />
      </div>
    </form>
  );
}
