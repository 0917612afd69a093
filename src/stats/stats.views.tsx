import { formatEuros, frenchSpacing } from '../core/typography.js';
import { FACET_NAMES, FACETS, type FacetName } from '../search/facets.js';
import { MEDIAN_MIN_FICHES, type ResultCounts } from '../search/search.model.js';
import { describeSearch, searchHref, withParam } from '../search/search.params.js';
import { countFiches } from '../search/search.presenter.js';
import { DEPARTEMENTS } from '../vocabularies/departements.js';
import { type Bar, BarChart } from '../web/charts.js';
import { Layout } from '../web/layout.js';
import { FranceMap, type MapArea } from './france-map.js';

/** The search of a bar: the page's search with this one value chosen in its facet. */
function narrowed(stats: ResultCounts, facet: FacetName, code: string): string {
  return searchHref('/actions', { q: stats.q, page: 1, filters: { ...stats.filters, [facet]: [code] } });
}

/** The départements of the map, with the counts of a search and links to it narrowed to each. */
export function mapAreas(stats: ResultCounts): MapArea[] {
  const counts = new Map(stats.counts.department.map((v) => [v.code, v.count]));
  return DEPARTEMENTS.map((d) => ({
    code: d.code,
    name: d.name,
    count: counts.get(d.code) ?? 0,
    href: narrowed(stats, 'department', d.code),
  }));
}

const CAPTIONS: Record<FacetName, string> = {
  dimension: 'Fiches par dimension',
  keyword: 'Fiches par mot clé',
  public: 'Fiches par public',
  status: 'Fiches par statut',
  initiative: 'Fiches selon qui est à l’initiative',
  territory: 'Fiches par territoire concerné',
  partner: 'Fiches par partenaire',
  region: 'Fiches par région',
  department: 'Fiches par département',
  budget: 'Fiches par budget',
  year: 'Fiches par année de publication',
  freshness: 'Fiches par fraîcheur',
};

function FacetSection({ stats, facet }: { stats: ResultCounts; facet: FacetName }): JSX.Element {
  const values = stats.counts[facet].filter((v) => v.count > 0);
  const bars: Bar[] = values.map((v) => ({
    label: facet === 'department' ? `${v.label} (${v.code})` : v.label,
    value: v.count,
    display: v.count.toLocaleString('fr-FR'),
    href: narrowed(stats, facet, v.code),
  }));
  return (
    <section class="stats-section" aria-labelledby={`stats-${facet}`}>
      <h2 id={`stats-${facet}`} safe>
        {FACETS[facet].title}
      </h2>
      {FACETS[facet].multi && (
        <p class="hint">Une fiche peut avoir plusieurs valeurs&nbsp;: la somme peut dépasser le total.</p>
      )}
      <BarChart id={`table-${facet}`} caption={CAPTIONS[facet]} unit="Fiches" bars={bars} />
    </section>
  );
}

function BudgetSection({ stats }: { stats: ResultCounts }): JSX.Element {
  const { overall, byKeyword } = stats.medians;
  return (
    <section class="stats-section" aria-labelledby="stats-budgets">
      <h2 id="stats-budgets">Budgets médians</h2>
      {overall ? (
        <>
          <p safe>
            {frenchSpacing(
              `${countFiches(overall.count)} sur ${stats.total.toLocaleString('fr-FR')} indiquent un montant dans leurs ressources financières ; la moitié coûte moins de ${formatEuros(Math.round(overall.median))}, l’autre moitié davantage.`,
            )}
          </p>
          <BarChart
            id="table-budgets"
            caption={`Budget médian par mot clé (mots clés d’au moins ${MEDIAN_MIN_FICHES} fiches chiffrées)`}
            unit="Budget médian"
            bars={byKeyword.map((k) => ({
              label: `${k.label} (${countFiches(k.count)})`,
              value: k.median,
              display: formatEuros(Math.round(k.median)),
              href: withParam(narrowed(stats, 'keyword', k.code), 'sort', 'budget'),
            }))}
          />
        </>
      ) : stats.medians.withAmount > 0 ? (
        <p safe>
          {frenchSpacing(
            `Trop peu de fiches chiffrées : ${countFiches(stats.medians.withAmount)} sur ${stats.total.toLocaleString('fr-FR')} ${stats.medians.withAmount > 1 ? 'indiquent' : 'indique'} un montant, il en faut au moins ${MEDIAN_MIN_FICHES} pour un budget médian.`,
          )}
        </p>
      ) : (
        <p>Aucune de ces fiches n’indique de montant dans ses ressources financières.</p>
      )}
    </section>
  );
}

/** The statistics of a search: totals, the map, a chart and a table per facet, budgets. */
export function StatisticsPage({ stats }: { stats: ResultCounts }): JSX.Element {
  const scope = { q: stats.q, page: 1, filters: stats.filters };
  const sections = FACET_NAMES.filter((name) => stats.counts[name].some((v) => v.count > 0));
  return (
    <Layout title="Statistiques">
      <h1>Statistiques</h1>
      <p class="lead" safe>
        {describeSearch(stats.q, stats.counts)}
      </p>
      <p class="count">
        <span safe>{`${countFiches(stats.total)}.`}</span> <a href={searchHref('/actions', scope)}>Voir ces fiches</a>
        {' · '}
        <a href={withParam(searchHref('/actions/export', scope), 'format', 'csv')}>Les exporter (CSV)</a>
      </p>
      {stats.total > 0 && (
        <nav class="toc" aria-label="Sur cette page">
          <ul class="inline-list">
            <li>
              <a href="#carte">Carte</a>
            </li>
            {sections.map((name) => (
              <li>
                <a href={`#stats-${name}`} safe>
                  {FACETS[name].title}
                </a>
              </li>
            ))}
            <li>
              <a href="#stats-budgets">Budgets médians</a>
            </li>
          </ul>
        </nav>
      )}
      <section class="stats-section" id="carte" aria-labelledby="carte-titre">
        <h2 id="carte-titre">Carte par département</h2>
        <FranceMap id="carte-stats" title="Fiches par département, outre-mer compris" areas={mapAreas(stats)} />
      </section>
      {sections.map((facet) => (
        <FacetSection stats={stats} facet={facet} />
      ))}
      <BudgetSection stats={stats} />
    </Layout>
  );
}
