import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { SiteSettings } from '../config.js';
import { ApiDocsPage, type Example, type Operation } from './api-docs.views.js';
import { NoQuery } from './route-schemas.js';

/**
 * The OpenAPI document's header for a site at `publicUrl`; the paths come from the route
 * schemas. The API is open: `security: []` says so to clients and linters alike.
 */
export function openApiInfo(publicUrl: string, licence: SiteSettings['licence']) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'API Essaim',
      version: '1.0.0',
      description: `Lecture libre du catalogue des fiches actions des centres sociaux : recherche, fiches, exports, statistiques, structures, vocabulaires. Réponses en JSON, textes en français. Les données sont publiées sous ${licence.name}.`,
      license: { name: licence.name, url: licence.url },
    },
    servers: [{ url: publicUrl, description: 'Ce site' }],
    security: [],
    tags: [
      { name: 'Fiches actions', description: 'Rechercher, lire et exporter les fiches actions.' },
      { name: 'Statistiques', description: 'Compter les fiches d’une recherche.' },
      { name: 'Structures', description: 'Centres sociaux et espaces de vie sociale.' },
      { name: 'Vocabulaires', description: 'Codes des filtres.' },
    ],
  };
}

type OpenApi = {
  info?: { description?: string };
  paths?: Record<string, Record<string, Operation>>;
};

// The order a reader needs them in: the search first.
const ORDER = [
  '/api/v1/actions',
  '/api/v1/actions/{id}',
  '/api/v1/actions/export',
  '/api/v1/statistics',
  '/api/v1/structures',
  '/api/v1/structures/{id}',
  '/api/v1/vocabularies',
];

// An example request per path, asked of the app itself when the page is built.
const EXAMPLES: Record<string, string> = {
  '/api/v1/actions': `/api/v1/actions?q=${encodeURIComponent('numérique seniors')}&perPage=2`,
  '/api/v1/actions/{id}': '/api/v1/actions/1',
  '/api/v1/actions/export': `/api/v1/actions/export?format=json&q=${encodeURIComponent('numérique seniors')}`,
  '/api/v1/statistics': `/api/v1/statistics?q=${encodeURIComponent('numérique')}`,
  '/api/v1/structures': '/api/v1/structures?perPage=2',
  '/api/v1/structures/{id}': '/api/v1/structures/1',
  '/api/v1/vocabularies': '/api/v1/vocabularies',
};

const LIST_KEPT = 2;
const TEXT_KEPT = 160;

/** An answer cut to what shows its shape: two elements of each list, the start of long texts. */
export function abbreviate(value: unknown): unknown {
  if (Array.isArray(value)) {
    const kept = value.slice(0, LIST_KEPT).map(abbreviate);
    const rest = value.length - kept.length;
    return rest > 0 ? [...kept, `… ${rest} autre${rest > 1 ? 's' : ''}`] : kept;
  }
  if (typeof value === 'string') return value.length > TEXT_KEPT ? `${value.slice(0, TEXT_KEPT)}…` : value;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, abbreviate(v)]));
  }
  return value;
}

const EXAMPLES_TTL_MS = 10 * 60 * 1000;
let examples: { at: number; byPath: Map<string, Example> } | undefined;

// Asked of the app in this process, so that the examples are true; kept ten minutes.
async function loadExamples(app: FastifyInstance): Promise<Map<string, Example>> {
  if (examples && Date.now() - examples.at < EXAMPLES_TTL_MS) return examples.byPath;
  const byPath = new Map<string, Example>();
  for (const [path, url] of Object.entries(EXAMPLES)) {
    const response = await app.inject({ method: 'GET', url });
    const contentType = String(response.headers['content-type'] ?? '').split(';')[0];
    const body =
      contentType === 'application/json'
        ? JSON.stringify(abbreviate(response.json()), null, 2)
        : response.body.slice(0, 600);
    byPath.set(path, { url, status: response.statusCode, contentType, body });
  }
  examples = { at: Date.now(), byPath };
  return byPath;
}

/** The OpenAPI document and its readable page. */
export function apiDocsRoutes(publicUrl: string): FastifyPluginAsync {
  return async (app) => {
    app.get('/api/v1/openapi.json', { schema: { querystring: NoQuery } }, async () => app.swagger());
    app.get('/api/v1/docs', { schema: { querystring: NoQuery } }, async (_request, reply) => {
      const spec = app.swagger() as OpenApi;
      const byPath = await loadExamples(app);
      const operations = Object.entries(spec.paths ?? {})
        .sort(([a], [b]) => rank(a) - rank(b))
        .flatMap(([path, methods]) =>
          Object.entries(methods).map(([method, op]) => ({
            path,
            method: method.toUpperCase(),
            op,
            example: method === 'get' ? byPath.get(path) : undefined,
          })),
        );
      return reply
        .type('text/html; charset=utf-8')
        .send(<ApiDocsPage description={spec.info?.description ?? ''} operations={operations} publicUrl={publicUrl} />);
    });
  };
}

function rank(path: string): number {
  const n = ORDER.indexOf(path);
  return n === -1 ? ORDER.length : n;
}
