import contentDisposition from 'content-disposition';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { can } from '../authorization/authorization.js';
import { notFound } from '../core/errors.js';
import { idFromSegment } from '../core/paths.js';
import type { Db } from '../db/database.js';
import { fichePdf } from '../exports/fiche-pdf.js';
import { isStarred } from '../favourites/favourites.service.js';
import { type FigureCounter, isReader } from '../figures/figure-counter.js';
import { similarActions } from '../search/search.service.js';
import { loadReferenceIndex } from '../vocabularies/vocabularies.service.js';
import { NoQuery, PathSegment } from '../web/route-schemas.js';
import { presentFiche } from './actions.presenter.js';
import { getFiche } from './actions.service.js';
import { FichePage } from './actions.views.js';

const SlugParams = Type.Object({ slug: PathSegment });

/**
 * The page of a fiche, at /actions/<id>-<slug>, and its PDF at the same address plus ".pdf";
 * both counted for its authors' figures.
 */
export function actionPages(db: Db, publicUrl: string, figures: FigureCounter): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: { slug: string } }>(
      '/actions/:slug',
      { schema: { params: SlugParams, querystring: NoQuery } },
      async (request, reply) => {
        const pdf = request.params.slug.endsWith('.pdf');
        const id = idFromSegment(request.params.slug.replace(/\.pdf$/, ''));
        const fiche = id === undefined ? undefined : await getFiche(db, id);
        if (!fiche) throw notFound('Cette fiche action n’existe pas, ou plus.');
        const json = presentFiche(fiche, await loadReferenceIndex(db));
        const address = pdf ? `${json.url}.pdf` : json.url;
        // One address per fiche: an old or shortened slug is sent to the current one.
        if (request.url.split('?')[0] !== address) return reply.redirect(address, 301);
        // A person reading or downloading a public fiche; never who, from where or with what.
        if (request.method === 'GET' && isReader(request.headers)) {
          figures.count(fiche.id, pdf ? 'downloads' : 'views');
        }
        if (pdf) {
          return reply
            .type('application/pdf')
            .header('Content-Disposition', contentDisposition(`${json.url.split('/').pop()}.pdf`, { type: 'inline' }))
            .send(fichePdf(json, publicUrl));
        }
        const [similar, starred] = await Promise.all([
          similarActions(db, fiche.id),
          isStarred(db, request.user, fiche.id),
        ]);
        const favourite = request.user ? { starred, csrf: reply.generateCsrf() } : undefined;
        const place = { structureId: fiche.structure.id, departementCode: fiche.structure.departementCode };
        const editHref = can(request.user, 'fiche:write', place) ? `/espace/fiches/${fiche.id}/modifier` : undefined;
        return reply
          .type('text/html; charset=utf-8')
          .send(<FichePage fiche={json} similar={similar} favourite={favourite} editHref={editHref} />);
      },
    );
  };
}
