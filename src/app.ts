import path from 'node:path';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { actionRoutes } from './actions/actions.routes.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { sendApiError, toApiError } from './web/errors.js';
import { ErrorPage, homeRoutes } from './web/home.routes.js';

const ASSETS = path.join(import.meta.dirname, 'web', 'assets');

/** Builds the web application on an open database; the caller listens and closes. */
export async function buildApp(db: Db, config: Pick<Config, 'logLevel'>): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.logLevel },
    // Ajv's defaults would coerce "abc" to nothing silently; keep types strict but coerce query strings.
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false, allErrors: false } },
  });
  await app.register(helmet, {
    contentSecurityPolicy: { directives: { 'default-src': ["'self'"], 'style-src': ["'self'"] } },
  });
  const isApi = (url: string) => url.startsWith('/api/');
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const body = toApiError(error, request);
    if (isApi(request.url)) return sendApiError(reply, body);
    return reply
      .status(body.statusCode)
      .type('text/html; charset=utf-8')
      .send(ErrorPage({ status: body.statusCode, message: body.message }));
  });
  app.setNotFoundHandler((request, reply) => {
    const message = `Aucune page ne correspond à l’adresse ${request.url.split('?')[0]}.`;
    if (isApi(request.url)) return sendApiError(reply, { statusCode: 404, code: 'not_found', message });
    return reply
      .status(404)
      .type('text/html; charset=utf-8')
      .send(ErrorPage({ status: 404, message }));
  });

  // Routes come after the handlers above, so that their plugins inherit them.
  await app.register(fastifyStatic, { root: ASSETS, prefix: '/assets/', maxAge: '1h' });
  await app.register(homeRoutes(db));
  await app.register(actionRoutes(db));
  return app;
}
