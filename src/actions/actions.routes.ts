import type { FastifyPluginAsync } from 'fastify';
import { notFound } from '../core/errors.js';
import type { Db } from '../db/database.js';
import { presentSearchResult } from '../search/search.presenter.js';
import { SearchQuerystring, SearchResponse, toSearchRequest } from '../search/search.schema.js';
import { search } from '../search/search.service.js';
import { loadReferenceIndex } from '../vocabularies/vocabularies.service.js';
import { NoQuery } from '../web/route-schemas.js';
import { presentFiche } from './actions.presenter.js';
import { ActionIdParams, ApiError, FicheSchema } from './actions.schema.js';
import { getFiche } from './actions.service.js';

/** The read API of fiches actions. */
export function actionRoutes(db: Db): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: SearchQuerystring }>(
      '/api/v1/actions',
      {
        schema: {
          operationId: 'searchActions',
          summary: 'Rechercher des fiches actions',
          description:
            'Recherche plein texte en français et filtres, avec le nombre de fiches par valeur de chaque filtre.',
          tags: ['Fiches actions'],
          querystring: SearchQuerystring,
          response: { 200: SearchResponse, 400: ApiError },
        },
      },
      async (request) => presentSearchResult(await search(db, toSearchRequest(request.query))),
    );

    app.get<{ Params: { id: number } }>(
      '/api/v1/actions/:id',
      {
        schema: {
          operationId: 'getAction',
          summary: 'Lire une fiche action',
          tags: ['Fiches actions'],
          params: ActionIdParams,
          querystring: NoQuery,
          response: { 200: FicheSchema, 400: ApiError, 404: ApiError },
        },
      },
      async (request) => {
        const fiche = await getFiche(db, request.params.id);
        if (!fiche) throw notFound(`Aucune fiche action n’a l’identifiant ${request.params.id}.`);
        return presentFiche(fiche, await loadReferenceIndex(db));
      },
    );
  };
}
