import type { Children } from '@kitajs/html';
import { departementPath } from '../core/paths.js';
import { formatEuros, frenchSpacing } from '../core/typography.js';
import { EXPORT_TYPES, PAGE_EXPORT_FORMATS } from '../exports/export-formats.js';
import type { SearchItem, SearchResult } from './search.model.js';
import { searchHref, withParam } from './search.params.js';
import { countFiches, safeSnippetHtml } from './search.presenter.js';

/** A link to each export format of an export address. */
export function ExportLinks({ href }: { href: string }): JSX.Element {
  return (
    <>
      {PAGE_EXPORT_FORMATS.map((format, i) => (
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
export function Reuse({ result }: { result: SearchResult }): JSX.Element {
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
        {' · '}
        <a href={searchHref('/actions.atom', scope)} type="application/atom+xml">
          Suivre par flux Atom
        </a>
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
  headingLevel?: 2 | 3 | 4;
  children?: Children;
}): JSX.Element {
  const Heading = `h${headingLevel}` as const;
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
        {item.stale ? <strong class="badge badge-stale">À vérifier</strong> : ''}
      </p>
      {item.snippet ? <p class="snippet">{safeSnippetHtml(item.snippet)}</p> : ''}
      {item.budget === null ? (
        ''
      ) : (
        <p class="result-budget" safe>
          {`Budget\u00a0: ${formatEuros(item.budget)}`}
        </p>
      )}
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
