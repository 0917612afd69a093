import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../db/database.js';
import { similarActions } from '../search/search.service.js';
import { loadReferenceIndex } from '../vocabularies/vocabularies.service.js';
import { notFound } from '../web/errors.js';
import { idFromSegment } from '../web/paths.js';
import { presentFiche } from './actions.presenter.js';
import { getFiche } from './actions.service.js';
import { FichePage } from './actions.views.js';

/** The page of a fiche, at /actions/<id>-<slug>. */
export function actionPages(db: Db): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: { slug: string } }>('/actions/:slug', async (request, reply) => {
      const id = idFromSegment(request.params.slug);
      const fiche = id === undefined ? undefined : await getFiche(db, id);
      if (!fiche) throw notFound('Cette fiche action n’existe pas, ou plus.');
      const json = presentFiche(fiche, await loadReferenceIndex(db));
      // One address per fiche: an old or shortened slug is sent to the current one.
      if (request.url.split('?')[0] !== json.url) return reply.redirect(json.url, 301);
      const similar = await similarActions(db, fiche.id);
      return reply.type('text/html; charset=utf-8').send(<FichePage fiche={json} similar={similar} />);
    });
  };
}
