import { escapeHtml } from '@kitajs/html';
import type { FastifyPluginAsync } from 'fastify';
import type { SiteSettings } from '../config.js';
import { frenchSpacing } from '../core/typography.js';
import { Layout } from './layout.js';
import { NoQuery } from './route-schemas.js';
import { TableScroll } from './table-scroll.js';

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

interface SchemaLike {
  type?: string | string[];
  items?: SchemaLike;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  description?: string;
  anyOf?: SchemaLike[];
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: SchemaLike;
}

interface Operation {
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  responses?: Record<string, { description?: string }>;
}

type OpenApi = { paths?: Record<string, Record<string, Operation>> };

// An example request per documented path, so that the page can be tried from a browser.
const EXAMPLES: Record<string, string> = {
  '/api/v1/actions': '/api/v1/actions?q=num%C3%A9rique%20seniors&perPage=5',
  '/api/v1/actions/{id}': '/api/v1/actions/1',
  '/api/v1/structures': '/api/v1/structures?perPage=5',
  '/api/v1/structures/{id}': '/api/v1/structures/1',
  '/api/v1/vocabularies': '/api/v1/vocabularies',
};

const RESPONSE_TEXT: Record<string, string> = {
  '200': 'Réussite : le corps décrit ci-dessus.',
  '400': 'Paramètre invalide : le corps nomme le paramètre (champ field) et dit pourquoi.',
  '404': 'Aucun objet n’a cet identifiant.',
};

function describeType(schema: SchemaLike | undefined): string {
  if (!schema) return '';
  if (schema.enum) return schema.enum.map(String).join(' | ');
  if (schema.type === 'array') return `liste de ${describeType(schema.items)}, répétable`;
  const bounds: string[] = [];
  if (schema.minimum !== undefined) bounds.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) bounds.push(`≤ ${schema.maximum}`);
  if (schema.maxLength !== undefined) bounds.push(`${schema.maxLength} caractères au plus`);
  const type = schema.type === 'integer' ? 'entier' : schema.type === 'string' ? 'texte' : String(schema.type ?? '');
  return [type, ...bounds].join(', ');
}

function operationId(method: string, path: string): string {
  return `${method}-${path.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}`;
}

/** One operation of the API: what it does, its parameters, its answers, an example. */
function OperationSection({ path, method, op }: { path: string; method: string; op: Operation }): JSX.Element {
  return (
    <section class="api-operation" aria-labelledby={operationId(method, path)}>
      <h2 id={operationId(method, path)}>
        <code safe>{`${method} ${path}`}</code>
      </h2>
      {op.summary ? (
        <p class="api-summary" safe>
          {op.summary}
        </p>
      ) : (
        ''
      )}
      {op.description ? <p safe>{frenchSpacing(op.description)}</p> : ''}
      {op.parameters && op.parameters.length > 0 ? (
        <TableScroll label={`Paramètres de ${method} ${path}`}>
          <table>
            <caption safe>{`Paramètres de ${method} ${path}`}</caption>
            <thead>
              <tr>
                <th scope="col">Nom</th>
                <th scope="col">Où</th>
                <th scope="col">Type</th>
                <th scope="col">Description</th>
              </tr>
            </thead>
            <tbody>
              {op.parameters.map((p) => (
                <tr>
                  <th scope="row">
                    <code safe>{p.name}</code>
                    {p.required ? ' (obligatoire)' : ''}
                  </th>
                  <td>{p.in === 'path' ? 'chemin' : 'requête'}</td>
                  <td safe>{describeType(p.schema)}</td>
                  <td safe>{frenchSpacing(p.description ?? p.schema?.description ?? '')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : (
        ''
      )}
      <h3>Réponses</h3>
      <ul>
        {Object.keys(op.responses ?? {}).map((code) => (
          <li safe>{frenchSpacing(`${code} : ${RESPONSE_TEXT[code] ?? op.responses?.[code]?.description ?? ''}`)}</li>
        ))}
      </ul>
      {EXAMPLES[path] ? (
        <p>
          Exemple :{' '}
          <a href={EXAMPLES[path]} safe>
            {EXAMPLES[path]}
          </a>
        </p>
      ) : (
        ''
      )}
    </section>
  );
}

function ApiDocsPage({ spec }: { spec: OpenApi }): JSX.Element {
  const operations = Object.entries(spec.paths ?? {}).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  );
  return (
    <Layout title="API">
      <h1>API de lecture</h1>
      <p class="lead">
        {escapeHtml(
          frenchSpacing(
            'Toutes les fiches publiées se lisent aussi en JSON, sans compte ni clé. La description complète, au format OpenAPI 3.1, est à l’adresse ',
          ),
        )}
        <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
      </p>
      <nav aria-labelledby="sommaire-api">
        <h2 id="sommaire-api">Sommaire</h2>
        <ul>
          {operations.map(({ path, method, op }) => (
            <li>
              <a href={`#${operationId(method, path)}`} safe>
                {`${method} ${path} — ${op.summary ?? ''}`}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {operations.map((operation) => (
        <OperationSection {...operation} />
      ))}
    </Layout>
  );
}

/** The OpenAPI document and its readable page. */
export function apiDocsRoutes(): FastifyPluginAsync {
  return async (app) => {
    app.get('/api/v1/openapi.json', { schema: { querystring: NoQuery } }, async () => app.swagger());
    app.get('/api/v1/docs', { schema: { querystring: NoQuery } }, async (_request, reply) =>
      reply.type('text/html; charset=utf-8').send(<ApiDocsPage spec={app.swagger() as OpenApi} />),
    );
  };
}
