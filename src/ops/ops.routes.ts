import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { NoQuery } from '../web/route-schemas.js';
import { type AppMetrics, hasMetricsToken } from './metrics.js';
import { readiness } from './readiness.js';

/**
 * What the operators' tools ask: `/healthz` (the process answers), `/readyz` (it may take
 * traffic) and, with its token, `/metrics` for Prometheus. Never cached, never in the sitemap.
 */
export function opsRoutes(db: Kysely<Database>, metrics: AppMetrics, token: string | undefined): FastifyPluginAsync {
  return async (app) => {
    const schema = { querystring: NoQuery, hide: true };
    app.get('/healthz', { schema }, async (_request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return { status: 'ok' };
    });
    app.get('/readyz', { schema }, async (_request, reply) => {
      const state = await readiness(db);
      return reply
        .header('Cache-Control', 'no-store')
        .status(state.ready ? 200 : 503)
        .send({ status: state.ready ? 'ready' : 'not_ready', ...state });
    });
    if (!token) return;
    app.get('/metrics', { schema }, async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      if (!hasMetricsToken(request.headers.authorization, token)) {
        return reply.status(401).header('WWW-Authenticate', 'Bearer realm="metrics"').send({
          statusCode: 401,
          code: 'unauthorized',
          message: 'Les métriques demandent leur jeton (METRICS_TOKEN).',
        });
      }
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
  };
}
