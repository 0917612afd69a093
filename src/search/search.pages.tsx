import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { notFound } from '../core/errors.js';
import { frenchSpacing } from '../core/typography.js';
import type { Db } from '../db/database.js';
import { mapAreas } from '../stats/stats.views.js';
import { getDepartement } from '../vocabularies/vocabularies.service.js';
import { Layout } from '../web/layout.js';
import { PathSegment, type RequestOf } from '../web/route-schemas.js';
import { HOME_THEMES, HomeView } from './home.views.js';
import type { FacetValue, SearchResult } from './search.model.js';
import { searchHref } from './search.params.js';
import { countActions, countFiches } from './search.presenter.js';
import { SearchPageQuerystring, toSearchRequest } from './search.schema.js';
import { countResults, search, searchOrSuggest } from './search.service.js';
import { SearchView } from './search.views.js';

const CodeParams = Type.Object({ code: PathSegment });

// The pages show 20 results a page, whatever the address says; perPage is for the API.
function pageRequest(query: SearchPageQuerystring) {
  return { ...toSearchRequest(query), perPage: undefined };
}

const pageSchema = { querystring: SearchPageQuerystring };
const departementSchema = { params: CodeParams, querystring: SearchPageQuerystring };
/** How many of the latest fiches the home page lists. */
const LATEST = 6;
const HTML = { 'content-type': 'text/html; charset=utf-8' };

/** The search pages: the home page (the catalogue's front door), /actions and the pages of the départements. */
export function searchPages(db: Db): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/', { schema: pageSchema }, (request, reply) => showHome(db, request, reply));
    app.get('/actions', { schema: pageSchema }, async (request, reply) => {
      const { result, suggested } = await searchOrSuggest(db, pageRequest(request.query));
      const title = result.q ? `Recherche « ${result.q} »` : 'Rechercher une action';
      const description = result.q
        ? `${countFiches(result.total)} de centres sociaux pour « ${result.q} » : objectifs, publics, budgets, partenaires et résultats.`
        : `Rechercher parmi ${countFiches(result.total)} de centres sociaux et d’espaces de vie sociale, par thème, public, département.`;
      return reply.headers(HTML).send(
        <Layout title={title} meta={{ description: frenchSpacing(description), feed: feedOf(result) }}>
          <h1>Rechercher une action</h1>
          <SearchView result={result} suggested={suggested} basePath="/actions" />
        </Layout>,
      );
    });
    app.get('/departements/:code', { schema: departementSchema }, (request, reply) =>
      showDepartement(db, request, reply),
    );
  };
}

/** The Atom feed of a search's new fiches, for the page's <link rel="alternate">. */
function feedOf(result: SearchResult) {
  return {
    title: 'Nouvelles fiches de cette recherche',
    href: searchHref('/actions.atom', { q: result.q, page: 1, filters: result.filters }),
  };
}

async function showHome(db: Db, request: RequestOf<typeof pageSchema>, reply: FastifyReply) {
  // The home page was the results page once: its old addresses with a search go to /actions.
  const query = request.url.split('?')[1];
  if (query) return reply.redirect(`/actions?${query}`, 301);
  const [result, counts] = await Promise.all([search(db, { sort: 'recent', perPage: LATEST }), countResults(db, {})]);
  const present = (values: FacetValue[]) => values.filter((v) => v.count > 0);
  const byCount = (values: FacetValue[]) =>
    [...present(values)].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'fr'));
  return reply.headers(HTML).send(
    <Layout
      title="Essaim"
      meta={{
        canonical: '/',
        description: `Essaim réunit ${countFiches(result.total)} des centres sociaux et des espaces de vie sociale : ce qu’ils ont fait, avec qui, pour quel budget et avec quels résultats.`,
        feed: feedOf(result),
      }}
    >
      <HomeView
        figures={{
          total: result.total,
          departements: present(result.facets.department).length,
          regions: present(result.facets.region).length,
        }}
        themes={byCount(result.facets.keyword).slice(0, HOME_THEMES)}
        regions={byCount(result.facets.region)}
        areas={mapAreas(counts)}
        latest={result.items}
      />
    </Layout>,
  );
}

async function showDepartement(db: Db, request: RequestOf<typeof departementSchema>, reply: FastifyReply) {
  const departement = await getDepartement(db, request.params.code.toUpperCase());
  if (!departement) throw notFound(`Aucun département n’a le code ${request.params.code}.`);
  const searchRequest = pageRequest(request.query);
  const result = await search(db, {
    ...searchRequest,
    filters: { ...searchRequest.filters, department: [departement.code], region: [] },
  });
  const name = `${departement.name} (${departement.code})`;
  return reply.headers(HTML).send(
    <Layout
      title={`Actions — ${name}`}
      meta={{
        canonical: `/departements/${departement.code}`,
        description: `${countActions(result.total).replace(/^./, (c) => c.toUpperCase())} des centres sociaux du département ${name}, région ${departement.regionName}.`,
        feed: feedOf(result),
      }}
    >
      <h1 safe>{`Les actions du département ${name}`}</h1>
      <p class="lead" safe>
        {`Région ${departement.regionName} · ${countActions(result.total)} publiées par les centres du département.`}
      </p>
      <SearchView
        result={result}
        basePath={`/departements/${departement.code}`}
        hiddenFacets={['department', 'region']}
        searchLabel="Rechercher dans ce département"
      />
    </Layout>,
  );
}
