import { type Static, Type } from 'typebox';
import { TermSchema } from '../actions/actions.schema.js';
import { FACET_NAMES, FACETS, type FacetFilters, type FacetName } from './facets.js';
import { MAX_PER_PAGE, MAX_QUERY_LENGTH, type SearchRequest, SORTS, type Sort } from './search.model.js';

const Code = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9-]{0,59}$' });

const FACET_DESCRIPTIONS: Record<FacetName, string> = {
  dimension: 'Codes de dimension (`services`, `accompagnement-projets`, `citoyennete`).',
  keyword: 'Codes de mots clés (voir `/api/v1/vocabularies`).',
  public: 'Codes de publics.',
  status: 'Codes de statut (`en-cours`, `terminee`).',
  initiative: 'Codes d’initiative.',
  territory: 'Codes de territoire concerné.',
  partner: 'Codes de partenaires.',
  region: 'Codes INSEE de région (`84` : Auvergne-Rhône-Alpes).',
  department: 'Codes INSEE de département (`59`, `2A`, `971`).',
  budget:
    'Classes de budget : `moins-1000`, `1000-5000`, `5000-20000`, `plus-20000`, `non-chiffre` (aucun montant dans le texte).',
  year: 'Années de première publication (`2024`).',
  freshness:
    'Fraîcheur : `recent` (modifiée ou confirmée depuis moins d’un an), `old` (plus d’un an), `stale` (à vérifier : le rappel d’actualité est resté sans réponse).',
};

const facetParameters = Object.fromEntries(
  FACET_NAMES.map((name) => [
    name,
    Type.Optional(
      Type.Array(Code, {
        maxItems: 50,
        description: `${FACET_DESCRIPTIONS[name]} Répétable : plusieurs valeurs d’un même filtre sont combinées par OU, les filtres entre eux par ET.`,
      }),
    ),
  ]),
) as Record<FacetName, ReturnType<typeof Type.Optional<ReturnType<typeof Type.Array<typeof Code>>>>>;

/** The parameters that choose which fiches a search finds: the text and the filters. */
export const searchScopeProperties = {
  q: Type.Optional(
    Type.String({
      maxLength: MAX_QUERY_LENGTH,
      description:
        'Texte recherché, syntaxe « websearch » : `"expression exacte"`, `-exclusion`, `OR`. Accents, majuscules, pluriels et synonymes sont pris en compte.',
    }),
  ),
  ...facetParameters,
};

const searchProperties = {
  ...searchScopeProperties,
  sort: Type.Optional(
    Type.Enum([...SORTS], {
      description:
        'Ordre : `relevance` (pertinence, par défaut avec `q`), `recent` (par défaut sans `q`), `title` (A-Z), `budget` (montant lu dans les ressources financières, du plus élevé au plus faible, les fiches sans montant à la fin), `department` (par code de département, puis par titre).',
    }),
  ),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, description: 'Page, à partir de 1.' })),
  perPage: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_PER_PAGE, description: `Résultats par page, ${MAX_PER_PAGE} au plus.` }),
  ),
};

/** The API's search parameters: strict, so that a misspelt parameter is an error, not a silent no-op. */
export const SearchQuerystring = Type.Object(searchProperties, { additionalProperties: false });

/**
 * The search pages' parameters: the same, but tolerant of parameters added by links from
 * elsewhere, and with an empty sort: the form's "default order" choice.
 */
export const SearchPageQuerystring = Type.Object({
  ...searchProperties,
  sort: Type.Optional(Type.Enum(['', ...SORTS])),
});

export type SearchQuerystring = Static<typeof SearchQuerystring>;
export type SearchPageQuerystring = Static<typeof SearchPageQuerystring>;

/** Turns validated query parameters into a search request. */
export function toSearchRequest(query: Omit<SearchQuerystring, 'sort'> & { sort?: string }): SearchRequest {
  const filters: FacetFilters = {};
  for (const name of FACET_NAMES) if (query[name]) filters[name] = query[name];
  const sort = (SORTS as readonly string[]).includes(query.sort ?? '') ? (query.sort as Sort) : undefined;
  return { q: query.q, sort, page: query.page, perPage: query.perPage, filters };
}

const DepartmentRef = Type.Object({ code: Type.String(), name: Type.String() });

/** A fiche in a result list, as the API gives it. */
export const SearchItemSchema = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  url: Type.String({ description: 'Chemin de la page de la fiche sur ce site.' }),
  structure: Type.Object({ id: Type.Integer(), name: Type.String(), url: Type.String(), department: DepartmentRef }),
  status: Type.Union([TermSchema, Type.Null()]),
  dimension: Type.Union([TermSchema, Type.Null()]),
  keywords: Type.Array(TermSchema),
  publics: Type.Array(TermSchema),
  snippet: Type.String({ description: 'Extrait en texte brut, du champ où la recherche a trouvé le texte.' }),
  snippetHtml: Type.String({
    description: 'Le même extrait en HTML échappé, les mots trouvés entre `<mark>` et `</mark>`.',
  }),
  budget: Type.Union([Type.Number(), Type.Null()], {
    description:
      'Le budget total lu dans les ressources financières de la fiche, en euros ; null quand elle n’en donne pas.',
  }),
  stale: Type.Boolean({
    description: '« À vérifier » : ses éditeurs n’ont pas répondu au rappel d’actualité (voir le filtre `freshness`).',
  }),
});

const FacetValueSchema = Type.Object({
  code: Type.String(),
  label: Type.String(),
  count: Type.Integer(),
  selected: Type.Boolean(),
});

/** The API's search response. */
export const SearchResponse = Type.Object({
  q: Type.String(),
  sort: Type.Enum([...SORTS]),
  total: Type.Integer({ description: 'Nombre de fiches trouvées.' }),
  page: Type.Integer(),
  perPage: Type.Integer(),
  pageCount: Type.Integer(),
  items: Type.Array(SearchItemSchema),
  facets: Type.Object(
    Object.fromEntries(FACET_NAMES.map((name) => [name, Type.Array(FacetValueSchema)])) as Record<
      FacetName,
      ReturnType<typeof Type.Array<typeof FacetValueSchema>>
    >,
    {
      description: `Pour chaque filtre, le nombre de fiches de chaque valeur. Les comptes d’un filtre tiennent compte de tous les autres filtres, pas du sien (ses valeurs sont des alternatives). ${Object.values(
        FACETS,
      )
        .map((f) => f.title)
        .join(', ')}.`,
    },
  ),
  suggestion: Type.Union([Type.String(), Type.Null()], {
    description: 'Requête corrigée quand un mot est inconnu (« Vouliez-vous dire… »), sinon null.',
  }),
});
