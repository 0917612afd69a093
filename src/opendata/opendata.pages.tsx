import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import contentDisposition from 'content-disposition';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { SiteSettings } from '../config.js';
import { notFound } from '../core/errors.js';
import { frenchSpacing } from '../core/typography.js';
import { NoQuery, PathSegment } from '../web/route-schemas.js';
import { openDataDir, readOpenDataManifest } from './opendata.service.js';
import { OpenDataPage } from './opendata.views.js';

const FileParams = Type.Object({ file: PathSegment });

/** « Données ouvertes »: the page of the catalogue's files, and the files themselves. */
export function openDataPages(dataDir: string, licence: SiteSettings['licence']): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/donnees-ouvertes', { schema: { querystring: NoQuery } }, async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(<OpenDataPage manifest={await readOpenDataManifest(dataDir)} licence={licence} />),
    );
    app.get(
      '/donnees-ouvertes/:file',
      { schema: { params: FileParams, querystring: NoQuery } },
      async (request, reply) => {
        // Only the files the build listed: the name from the address never makes a path by itself.
        const manifest = await readOpenDataManifest(dataDir);
        const file = manifest?.files.find((f) => f.name === request.params.file);
        if (!file)
          throw notFound(frenchSpacing(`Aucun fichier de données ouvertes ne s’appelle « ${request.params.file} ».`));
        return reply
          .type(file.mediaType)
          .header('Content-Disposition', contentDisposition(file.name))
          .header('Link', `<${licence.url}>; rel="license"`)
          .header('Last-Modified', new Date(manifest?.builtAt ?? Date.now()).toUTCString())
          .send(createReadStream(path.join(openDataDir(dataDir), file.name)));
      },
    );
  };
}
