import type { VocabularyTableName } from '../db/database.js';

/** The facets, in the order the pages show them; each name is also the API's filter parameter. */
export const FACET_NAMES = [
  'dimension',
  'keyword',
  'public',
  'status',
  'initiative',
  'territory',
  'partner',
  'region',
  'department',
  'budget',
  'year',
  'freshness',
] as const;
export type FacetName = (typeof FACET_NAMES)[number];

/** Where a facet's codes come from and how it is shown. */
export interface FacetDefinition {
  /** The action_search column holding the codes. */
  column: string;
  /** The column holds an array of codes (a fiche may have several keywords). */
  multi: boolean;
  /** The heading on the pages. */
  title: string;
  vocabulary?: VocabularyTableName;
  /** Keywords and partners are many: the most frequent come first; others keep their own order. */
  byCount: boolean;
}

export const FACETS: Record<FacetName, FacetDefinition> = {
  dimension: { column: 'dimension_code', multi: false, title: 'Dimension', vocabulary: 'dimensions', byCount: false },
  keyword: { column: 'keyword_codes', multi: true, title: 'Mots clés', vocabulary: 'keywords', byCount: true },
  public: { column: 'public_codes', multi: true, title: 'Public', vocabulary: 'publics', byCount: false },
  status: { column: 'status_code', multi: false, title: 'Statut', vocabulary: 'statuses', byCount: false },
  initiative: {
    column: 'initiative_codes',
    multi: true,
    title: 'À l’initiative de',
    vocabulary: 'initiatives',
    byCount: false,
  },
  territory: {
    column: 'territory_code',
    multi: false,
    title: 'Territoire concerné',
    vocabulary: 'territories',
    byCount: false,
  },
  partner: { column: 'partner_codes', multi: true, title: 'Partenaires', vocabulary: 'partners', byCount: true },
  region: { column: 'region_code', multi: false, title: 'Région', byCount: false },
  department: { column: 'departement_code', multi: false, title: 'Département', byCount: false },
  budget: { column: 'budget_range', multi: false, title: 'Budget', byCount: false },
  year: { column: 'published_year', multi: false, title: 'Année de publication', byCount: false },
  freshness: { column: 'freshness', multi: false, title: 'Fraîcheur', byCount: false },
};

/** The codes selected in each facet; an absent or empty list filters nothing. */
export type FacetFilters = Partial<Record<FacetName, string[]>>;
