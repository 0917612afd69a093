import contentDisposition from 'content-disposition';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { type Static, Type } from 'typebox';
import { ApiError } from '../actions/actions.schema.js';
import type { Db } from '../db/database.js';
import type { SearchRequest } from '../search/search.model.js';
import { searchScopeProperties, toSearchRequest } from '../search/search.schema.js';
import { EXPORT_FORMATS, EXPORT_TYPES, type ExportFormat, exportStream } from './exports.service.js';

const Format = Type.Enum([...EXPORT_FORMATS], {
  description:
    '`csv` (UTF-8 avec BOM, séparateur `;`, pour Excel), `xlsx`, `json`, `ndjson` (une fiche par ligne), `dump` (format texte de l’observatoire).',
});

/** The export's parameters: the search's text and filters, and the format. */
export const ExportQuerystring = Type.Object(
  { ...searchScopeProperties, format: Format },
  { additionalProperties: false },
);
export type ExportQuerystring = Static<typeof ExportQuerystring>;

// The file itself, one media type per format; documented only: a stream is never serialised.
const ExportResponse = {
  description: 'Le fichier, en pièce jointe (`Content-Disposition`), envoyé en flux.',
  content: Object.fromEntries(
    EXPORT_FORMATS.map((format) => [
      EXPORT_TYPES[format].mediaType.split(';')[0],
      { schema: Type.String({ description: `Export ${EXPORT_TYPES[format].label}.` }) },
    ]),
  ),
};

/** The same for the site's links, tolerant of parameters a search page's address carries. */
const ExportPageQuerystring = Type.Object({ ...searchScopeProperties, format: Format });

/** "essaim-fiches-2026-11-25.csv". */
export function exportFileName(format: ExportFormat, what = 'fiches'): string {
  return `essaim-${what}-${new Date().toISOString().slice(0, 10)}.${EXPORT_TYPES[format].extension}`;
}

/** Sends an export as a download, streamed. */
export async function sendExport(
  reply: FastifyReply,
  db: Db,
  format: ExportFormat,
  search: SearchRequest,
  publicUrl: string,
  what?: string,
) {
  const stream = await exportStream(db, format, { search, publicUrl });
  return reply
    .header('Content-Type', EXPORT_TYPES[format].mediaType)
    .header('Content-Disposition', contentDisposition(exportFileName(format, what)))
    .header('Cache-Control', 'no-store')
    .send(stream);
}

/** Exports of a search: from the results page and from the API. */
export function exportRoutes(db: Db, publicUrl: string): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: ExportQuerystring }>(
      '/api/v1/actions/export',
      {
        schema: {
          operationId: 'exportActions',
          summary: 'Exporter les fiches d’une recherche',
          description:
            'Toutes les fiches publiées que trouve la recherche (mêmes paramètres que `/api/v1/actions`), sans pagination, dans le format choisi, en flux.',
          tags: ['Fiches actions'],
          querystring: ExportQuerystring,
          response: { 200: ExportResponse, 400: ApiError },
        },
      },
      async (request, reply) => sendExport(reply, db, request.query.format, toSearchRequest(request.query), publicUrl),
    );

    app.get<{ Querystring: Static<typeof ExportPageQuerystring> }>(
      '/actions/export',
      { schema: { querystring: ExportPageQuerystring } },
      async (request, reply) => sendExport(reply, db, request.query.format, toSearchRequest(request.query), publicUrl),
    );
  };
}
