import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { requireLogin, userOf } from '../accounts/sessions.http.js';
import { notFound } from '../core/errors.js';
import type { Db } from '../db/database.js';
import { PageQuery } from '../web/route-schemas.js';
import { sendPage } from '../web/send-page.js';
import { figuresFor } from './figures.service.js';
import { FiguresPage } from './figures.views.js';

const FiguresQuery = PageQuery({ fiche: Type.Optional(Type.String({ maxLength: 12 })) });

/** « Mes statistiques », for the editors of a structure and the reviewers of a département. */
export function figurePages(db: Db): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/espace/statistiques',
      { schema: { querystring: FiguresQuery }, preHandler: requireLogin },
      async (request, reply) => {
        const raw = request.query.fiche;
        if (raw !== undefined && !/^\d{1,9}$/.test(raw)) throw notFound('Cette fiche action n’existe pas, ou plus.');
        const report = await figuresFor(db, userOf(request), raw === undefined ? undefined : Number(raw));
        return sendPage(reply, 200, <FiguresPage user={userOf(request)} csrf={reply.generateCsrf()} report={report} />);
      },
    );
  };
}
