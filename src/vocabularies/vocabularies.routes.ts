import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { ApiError, TermSchema } from '../actions/actions.schema.js';
import type { Db } from '../db/database.js';
import { FACET_NAMES, FACETS, type FacetName } from '../search/facets.js';
import { loadReferenceIndex, type ReferenceIndex } from './vocabularies.service.js';

const VocabulariesResponse = Type.Object(
  Object.fromEntries(FACET_NAMES.map((name) => [name, Type.Array(TermSchema)])) as Record<
    FacetName,
    ReturnType<typeof Type.Array<typeof TermSchema>>
  >,
  {
    description:
      'Chaque vocabulaire, sous le nom du filtre de `GET /api/v1/actions` qui prend ses codes ; les départements et régions par code INSEE.',
  },
);

/** Every vocabulary under the name of the search filter that takes its codes. */
export function presentVocabularies(ref: ReferenceIndex) {
  return Object.fromEntries(
    FACET_NAMES.map((name) => {
      const vocabulary = FACETS[name].vocabulary;
      if (vocabulary) return [name, [...ref.terms[vocabulary].values()].map((t) => ({ code: t.code, label: t.label }))];
      if (name === 'department')
        return [name, [...ref.departements.values()].map((d) => ({ code: d.code, label: d.name }))];
      return [
        name,
        [...ref.regions].map(([code, label]) => ({ code, label })).sort((a, b) => a.code.localeCompare(b.code)),
      ];
    }),
  ) as Record<FacetName, Array<{ code: string; label: string }>>;
}

/** The vocabularies API. */
export function vocabularyRoutes(db: Db): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/api/v1/vocabularies',
      {
        schema: {
          operationId: 'getVocabularies',
          summary: 'Lire les vocabulaires',
          description: 'Les codes et libellés à utiliser dans les filtres de recherche.',
          tags: ['Vocabulaires'],
          querystring: Type.Object({}, { additionalProperties: false }),
          response: { 200: VocabulariesResponse, 400: ApiError },
        },
      },
      async () => presentVocabularies(await loadReferenceIndex(db)),
    );
  };
}
