import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../db/database.js';
import { loadReferenceIndex } from '../vocabularies/vocabularies.service.js';
import { notFound } from '../web/errors.js';
import { presentFiche } from './actions.presenter.js';
import { ActionIdParams, ApiError } from './actions.schema.js';
import { getFiche } from './actions.service.js';

/** The read API of fiches actions. */
export function actionRoutes(db: Db): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: { id: number } }>(
      '/api/v1/actions/:id',
      { schema: { params: ActionIdParams, response: { 404: ApiError } } },
      async (request) => {
        const fiche = await getFiche(db, request.params.id);
        if (!fiche) throw notFound(`Aucune fiche action n’a l’identifiant ${request.params.id}.`);
        return presentFiche(fiche, await loadReferenceIndex(db));
      },
    );
  };
}
