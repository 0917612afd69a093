import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { requireLogin, userOf } from '../accounts/sessions.http.js';
import { safeReturnPath } from '../core/paths.js';
import type { Db } from '../db/database.js';
import { EXPORT_FORMATS } from '../exports/export-formats.js';
import { type ExportSite, sendExport } from '../exports/exports.routes.js';
import { favouriteIds, listFavourites, starFiche, unstarFiche } from './favourites.service.js';
import { FavouritesPage } from './favourites.views.js';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Back = Type.Object({ _csrf: Type.Optional(Type.String()), suite: Type.Optional(Type.String()) });

/** A signed-in reader's favourite fiches: the star on a fiche, the page that lists them, their exports. */
export function favouritePages(db: Db, site: ExportSite): FastifyPluginAsync {
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
        const result = await listFavourites(db, userOf(request), request.query.page);
        return reply
          .type('text/html; charset=utf-8')
          .send(<FavouritesPage result={result} csrf={reply.generateCsrf()} notice={request.query.notice} />);
      },
    );

    app.get<{ Querystring: { format: (typeof EXPORT_FORMATS)[number] } }>(
      '/favoris/export',
      { schema: { querystring: Type.Object({ format: Type.Enum([...EXPORT_FORMATS]) }) } },
      async (request, reply) => {
        const ids = await favouriteIds(db, userOf(request));
        return sendExport(reply, db, request.query.format, { actionIds: ids }, site, 'favoris');
      },
    );

    app.post<{ Params: { id: number }; Body: { suite?: string } }>(
      '/favoris/:id',
      { schema: { params: IdParams, body: Back } },
      async (request, reply) => {
        await starFiche(db, userOf(request), request.params.id);
        return reply.redirect(safeReturnPath(request.body.suite, '/favoris?notice=ajout'), 303);
      },
    );

    app.post<{ Params: { id: number }; Body: { suite?: string } }>(
      '/favoris/:id/retirer',
      { schema: { params: IdParams, body: Back } },
      async (request, reply) => {
        await unstarFiche(db, userOf(request), request.params.id);
        const back = safeReturnPath(request.body.suite, '/favoris');
        return reply.redirect(back === '/favoris' ? '/favoris?notice=retrait' : back, 303);
      },
    );
  };
}
