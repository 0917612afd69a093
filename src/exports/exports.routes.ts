import slugify from '@sindresorhus/slugify';
import contentDisposition from 'content-disposition';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { type Static, Type } from 'typebox';
import { ApiError } from '../actions/actions.schema.js';
import type { Db } from '../db/database.js';
import type { SearchRequest } from '../search/search.model.js';
import { searchScopeProperties, toSearchRequest } from '../search/search.schema.js';
import { EXPORT_FORMATS, EXPORT_TYPES, type ExportFormat } from './export-formats.js';
import type { ExportGate } from './export-gate.js';
import { type ExportLicence, exportStream, exportSubject } from './exports.service.js';

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

// A file name keeps to the letters every system accepts, and stays short enough to read.
const SUBJECT_MAX = 60;

/**
 * "essaim-fiches-lot-2026-12-02.csv": what the file holds (the search's words and filters'
 * labels, slugified), then the day; "essaim-fiches-2026-12-02.csv" for the whole catalogue.
 */
export function exportFileName(format: ExportFormat, subject: string[], day = new Date()): string {
  const words = slugify(subject.join(' '), { decamelize: false });
  const cut = words.length <= SUBJECT_MAX ? words : words.slice(0, SUBJECT_MAX + 1).replace(/-[^-]*$/, '');
  const name = ['essaim', 'fiches', cut, day.toISOString().slice(0, 10)].filter(Boolean).join('-');
  return `${name}.${EXPORT_TYPES[format].extension}`;
}

/** Where an export's links point, under which licence its data go out, and how many may run at once. */
export interface ExportSite {
  publicUrl: string;
  licence: ExportLicence;
  gate: ExportGate;
}

/**
 * Sends an export as a download, streamed, named after what it holds (the search's words and
 * filters, or `subject`), with its licence in a Link header too: the CSV has no room for it.
 */
export async function sendExport(
  reply: FastifyReply,
  db: Db,
  format: ExportFormat,
  search: SearchRequest,
  site: ExportSite,
  subject?: string,
) {
  const leave = site.gate.enter(reply.request.ip);
  // The answer's end, or the reader leaving before it: either ends the export's turn.
  reply.raw.once('close', leave);
  let stream: Awaited<ReturnType<typeof exportStream>>;
  let words: string[];
  try {
    [stream, words] = await Promise.all([
      exportStream(db, format, { search, ...site }),
      subject ? [subject] : exportSubject(db, search),
    ]);
  } catch (error) {
    leave();
    throw error;
  }
  return reply
    .header('Content-Type', EXPORT_TYPES[format].mediaType)
    .header('Content-Disposition', contentDisposition(exportFileName(format, words)))
    .header('Link', `<${site.licence.url}>; rel="license"`)
    .header('Cache-Control', 'no-store')
    .send(stream);
}

/** Exports of a search: from the results page and from the API. */
export function exportRoutes(db: Db, site: ExportSite): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: ExportQuerystring }>(
      '/api/v1/actions/export',
      {
        schema: {
          operationId: 'exportActions',
          summary: 'Exporter les fiches d’une recherche',
          description:
            'Toutes les fiches publiées que trouve la recherche (mêmes paramètres que `/api/v1/actions`), sans pagination, dans le format choisi, en flux. Le JSON est un objet : `source`, `url` (la recherche), `licence` (`name`, `url`), `exportedAt`, puis `fiches`. NDJSON : une fiche par ligne. La licence des données est aussi dans l’en-tête `Link` (`rel="license"`).',
          tags: ['Fiches actions'],
          querystring: ExportQuerystring,
          response: { 200: ExportResponse, 400: ApiError },
        },
      },
      async (request, reply) => sendExport(reply, db, request.query.format, toSearchRequest(request.query), site),
    );

    app.get<{ Querystring: Static<typeof ExportPageQuerystring> }>(
      '/actions/export',
      { schema: { querystring: ExportPageQuerystring } },
      async (request, reply) => sendExport(reply, db, request.query.format, toSearchRequest(request.query), site),
    );
  };
}
