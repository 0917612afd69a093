import type { FastifyPluginAsync } from 'fastify';
import { type Static, Type } from 'typebox';
import { ApiError } from '../actions/actions.schema.js';
import type { Db } from '../db/database.js';
import { SearchPageQuerystring, searchScopeProperties, toSearchRequest } from '../search/search.schema.js';
import { countResults } from '../search/search.service.js';
import { presentStatistics } from './stats.presenter.js';
import { StatisticsPage } from './stats.views.js';

const StatisticsQuerystring = Type.Object(searchScopeProperties, { additionalProperties: false });

const Counted = Type.Array(Type.Object({ code: Type.String(), label: Type.String(), count: Type.Integer() }));

/** The statistics of a search: a page and its API. */
export function statisticsRoutes(db: Db): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: SearchPageQuerystring }>(
      '/statistiques',
      { schema: { querystring: SearchPageQuerystring } },
      async (request, reply) => {
        const { q, filters } = toSearchRequest(request.query);
        const stats = await countResults(db, { q, filters });
        return reply.type('text/html; charset=utf-8').send(<StatisticsPage stats={stats} />);
      },
    );

    app.get<{ Querystring: Static<typeof StatisticsQuerystring> }>(
      '/api/v1/statistics',
      {
        schema: {
          operationId: 'getStatistics',
          summary: 'Compter les fiches d’une recherche',
          description:
            'Pour les fiches publiées que trouve la recherche (mêmes paramètres que `/api/v1/actions`) : le total, le nombre de fiches par valeur de chaque filtre (tous les filtres appliqués) et les budgets médians, en tout et par mot clé.',
          tags: ['Statistiques'],
          querystring: StatisticsQuerystring,
          response: {
            200: Type.Object({
              q: Type.String(),
              filters: Type.Record(Type.String(), Type.Array(Type.String())),
              total: Type.Integer(),
              counts: Type.Record(Type.String(), Counted),
              budgets: Type.Object({
                withAmount: Type.Integer({ description: 'Fiches dont le texte indique un montant.' }),
                median: Type.Union([Type.Number(), Type.Null()]),
                byKeyword: Type.Array(
                  Type.Object({
                    code: Type.String(),
                    label: Type.String(),
                    count: Type.Integer(),
                    median: Type.Number(),
                  }),
                ),
              }),
            }),
            400: ApiError,
          },
        },
      },
      async (request) => presentStatistics(await countResults(db, toSearchRequest(request.query))),
    );
  };
}
