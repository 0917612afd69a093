import { frenchSpacing } from '../core/typography.js';
import { FranceMap, type MapArea } from '../stats/france-map.js';
import { ResultItem } from './results.views.js';
import type { FacetValue, SearchItem } from './search.model.js';
import { searchHref } from './search.params.js';
import { countFiches } from './search.presenter.js';
import { SearchBar } from './search.views.js';

/** How many themes the home page offers before « Tous les thèmes ». */
export const HOME_THEMES = 12;

/** The catalogue's figures on the home page. */
export interface HomeFigures {
  total: number;
  departements: number;
  regions: number;
}

/** An entry point: a theme or a région, its count and its search. */
function EntryList(props: { values: FacetValue[]; facet: 'keyword' | 'region'; label: string }): JSX.Element {
  return (
    <ul class="entry-list" aria-label={props.label}>
      {props.values.map((v) => (
        <li>
          <a href={searchHref('/actions', { q: '', page: 1, filters: { [props.facet]: [v.code] } })}>
            <span class="entry-name" safe>
              {v.label}
            </span>{' '}
            <span class="entry-count" safe>
              {`${v.count.toLocaleString('fr-FR')}\u00a0fiche${v.count > 1 ? 's' : ''}`}
            </span>
          </a>
        </li>
      ))}
    </ul>
  );
}

/**
 * The front door: the search box and the catalogue's size, then ways in by theme and by
 * région (the map, with the counts written out beside it), then the latest fiches.
 */
export function HomeView(props: {
  figures: HomeFigures;
  themes: FacetValue[];
  regions: FacetValue[];
  areas: MapArea[];
  latest: SearchItem[];
}): JSX.Element {
  const { figures } = props;
  return (
    <>
      <section class="home-hero" aria-labelledby="accueil-titre">
        <h1 id="accueil-titre">Les actions des centres sociaux</h1>
        <p class="lead" safe>
          {frenchSpacing(
            'Essaim réunit les fiches actions des centres sociaux et des espaces de vie sociale : ce qu’ils ont fait, avec qui, pour quel budget et avec quels résultats. Trouvez une idée, un partenaire, un ordre de grandeur — et reprenez-la chez vous.',
          )}
        </p>
        <form method="get" action="/actions" class="home-search">
          <SearchBar label="Rechercher une action" q="" />
        </form>
        <p class="count">
          <span safe>
            {`Le catalogue compte ${countFiches(figures.total)}, dans ${figures.departements} départements et ${figures.regions} régions. `}
          </span>
          <a href="/actions">Parcourir toutes les actions</a>
        </p>
      </section>
      <section class="home-section" aria-labelledby="themes-titre">
        <h2 id="themes-titre">Par thème</h2>
        <EntryList values={props.themes} facet="keyword" label="Thèmes les plus représentés" />
        <p>
          <a href="/actions#facette-keyword">Tous les thèmes</a>
        </p>
      </section>
      <section class="home-section" aria-labelledby="territoires-titre">
        <h2 id="territoires-titre">Par territoire</h2>
        <div class="home-territories">
          <FranceMap id="carte-accueil" title="Fiches par département, outre-mer compris" areas={props.areas} />
          <div>
            <h3 id="regions-titre">Par région</h3>
            <EntryList values={props.regions} facet="region" label="Régions" />
            <p>
              <a href="/plan-du-site">Tous les départements</a> · <a href="/statistiques">Statistiques</a>
            </p>
          </div>
        </div>
      </section>
      <section class="home-section" aria-labelledby="dernieres-titre">
        <h2 id="dernieres-titre">Dernières fiches publiées</h2>
        <ul class="result-list">
          {props.latest.map((item) => (
            <ResultItem item={item} />
          ))}
        </ul>
        <p>
          <a href="/actions?sort=recent">Toutes les actions, des plus récentes aux plus anciennes</a>
        </p>
      </section>
    </>
  );
}
