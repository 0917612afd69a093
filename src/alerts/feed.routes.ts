import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { SiteSettings } from '../config.js';
import type { Db } from '../db/database.js';
import { searchHref } from '../search/search.params.js';
import { SearchPageQuerystring, toSearchRequest } from '../search/search.schema.js';
import { atomFeed } from './feed.presenter.js';
import { searchFeed } from './feed.service.js';

/**
 * /actions.atom: the Atom feed of the latest fiches of any search, with the parameters of
 * /actions (the text and the filters; the order and the page are the feed's own).
 */
export function feedRoutes(db: Db, publicUrl: string, licence: SiteSettings['licence']): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/actions.atom', { schema: { querystring: SearchPageQuerystring } }, async (request, reply) => {
      const { q, filters } = toSearchRequest(request.query);
      const feed = await searchFeed(db, { q, filters });
      const scope = { q: feed.q, page: 1, filters: feed.filters };
      const xml = atomFeed(feed, {
        publicUrl,
        selfPath: searchHref('/actions.atom', scope),
        searchPath: searchHref('/actions', scope),
        licence,
      });
      // Feed readers come back every few minutes: a short cache spares the search.
      return reply.type('application/atom+xml; charset=utf-8').header('Cache-Control', 'public, max-age=300').send(xml);
    });
  };
}
