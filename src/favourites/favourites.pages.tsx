import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { requireLogin, userOf } from '../accounts/sessions.http.js';
import { getFiche } from '../actions/actions.service.js';
import { notFound } from '../core/errors.js';
import { safeReturnPath } from '../core/paths.js';
import type { Db } from '../db/database.js';
import { sendExport } from '../exports/exports.routes.js';
import { EXPORT_FORMATS } from '../exports/exports.service.js';
import { search } from '../search/search.service.js';
import { addFavourite, listFavouriteIds, removeFavourite } from './favourites.repository.js';
import { FavouritesPage } from './favourites.views.js';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Back = Type.Object({ _csrf: Type.Optional(Type.String()), suite: Type.Optional(Type.String()) });

/** A signed-in reader's favourite fiches: the star on a fiche, the page that lists them, their exports. */
export function favouritePages(db: Db, publicUrl: string): FastifyPluginAsync {
  return async (app) => {
    app.addHook('preHandler', requireLogin);

    app.get<{ Querystring: { page?: number; notice?: string } }>(
      '/favoris',
      {
        schema: {
          querystring: Type.Object({
            page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
            notice: Type.Optional(Type.String()),
          }),
        },
      },
      async (request, reply) => {
        const ids = await listFavouriteIds(db, userOf(request).id);
        // Through the search, so that a fiche no longer public leaves the list by itself.
        const result = await search(db, { actionIds: ids, sort: 'recent', page: request.query.page });
        return reply
          .type('text/html; charset=utf-8')
          .send(<FavouritesPage result={result} csrf={reply.generateCsrf()} notice={request.query.notice} />);
      },
    );

    app.get<{ Querystring: { format: (typeof EXPORT_FORMATS)[number] } }>(
      '/favoris/export',
      { schema: { querystring: Type.Object({ format: Type.Enum([...EXPORT_FORMATS]) }) } },
      async (request, reply) => {
        const ids = await listFavouriteIds(db, userOf(request).id);
        return sendExport(reply, db, request.query.format, { actionIds: ids }, publicUrl, 'favoris');
      },
    );

    app.post<{ Params: { id: number }; Body: { suite?: string } }>(
      '/favoris/:id',
      { schema: { params: IdParams, body: Back } },
      async (request, reply) => {
        if (!(await getFiche(db, request.params.id))) throw notFound('Cette fiche action n’existe pas, ou plus.');
        await addFavourite(db, userOf(request).id, request.params.id);
        return reply.redirect(safeReturnPath(request.body.suite, '/favoris?notice=ajout'), 303);
      },
    );

    app.post<{ Params: { id: number }; Body: { suite?: string } }>(
      '/favoris/:id/retirer',
      { schema: { params: IdParams, body: Back } },
      async (request, reply) => {
        await removeFavourite(db, userOf(request).id, request.params.id);
        const back = safeReturnPath(request.body.suite, '/favoris');
        return reply.redirect(back === '/favoris' ? '/favoris?notice=retrait' : back, 303);
      },
    );
  };
}
