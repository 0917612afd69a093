import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { notFound } from '../core/errors.js';
import type { Db } from '../db/database.js';
import { NoQuery } from '../web/route-schemas.js';
import { SITEMAP_MAX_URLS, sitemapIndexXml, sitemapParts, urlsetXml } from './sitemap.service.js';

const XML = 'application/xml; charset=utf-8';
// A 32×32 PNG of the SVG icon in an ICO container, for the browsers and tools that ask for it.
const FAVICON = readFileSync(path.join(import.meta.dirname, 'favicon.ico'));

/** robots.txt: crawl the catalogue, not the accounts, the downloads or the API; where the sitemap is. */
function robotsTxt(publicUrl: string): string {
  return [
    'User-agent: *',
    'Disallow: /espace',
    'Disallow: /connexion',
    'Disallow: /deconnexion',
    'Disallow: /mot-de-passe-oublie',
    'Disallow: /alertes',
    'Disallow: /favoris',
    'Disallow: /actions/export',
    'Disallow: /structures/*/contact',
    'Disallow: /api/',
    'Allow: /api/v1/docs',
    '',
    `Sitemap: ${publicUrl}/sitemap.xml`,
    '',
  ].join('\n');
}

const PartParams = Type.Object({ part: Type.String({ pattern: '^[1-9][0-9]{0,5}\\.xml$' }) });

/**
 * What search engines read: robots.txt, the sitemap (one file, or an index of parts above
 * `sitemapSize` addresses, as the protocol says) and /favicon.ico.
 */
export function siteRoutes(db: Db, publicUrl: string, sitemapSize = SITEMAP_MAX_URLS): FastifyPluginAsync {
  return async (app) => {
    app.get('/robots.txt', { schema: { querystring: NoQuery } }, async (_request, reply) =>
      reply.type('text/plain; charset=utf-8').send(robotsTxt(publicUrl)),
    );
    app.get('/favicon.ico', { schema: { querystring: NoQuery } }, async (_request, reply) =>
      reply.type('image/x-icon').header('Cache-Control', 'public, max-age=86400').send(FAVICON),
    );
    app.get('/sitemap.xml', { schema: { querystring: NoQuery } }, async (_request, reply) => {
      const parts = await sitemapParts(db, sitemapSize);
      if (parts.count === 1) return reply.type(XML).send(Readable.from(urlsetXml(parts.entries(1), publicUrl)));
      const urls = Array.from({ length: parts.count }, (_, i) => `${publicUrl}/sitemaps/${i + 1}.xml`);
      return reply.type(XML).send(sitemapIndexXml(urls));
    });
    app.get<{ Params: { part: string } }>(
      '/sitemaps/:part',
      { schema: { params: PartParams, querystring: NoQuery } },
      async (request, reply) => {
        const n = Number.parseInt(request.params.part, 10);
        const parts = await sitemapParts(db, sitemapSize);
        if (parts.count === 1 || n > parts.count) throw notFound('Cette partie du plan du site n’existe pas.');
        return reply.type(XML).send(Readable.from(urlsetXml(parts.entries(n), publicUrl)));
      },
    );
  };
}
