import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { AppError } from '../core/errors.js';
import { frenchSpacing } from '../core/typography.js';
import { ErrorPage } from './error-page.js';

/** The costly routes, by the group whose rate per client is limited (Config.rateLimits). */
const LIMITED_ROUTES = {
  search: ['/', '/actions', '/api/v1/actions', '/actions.atom', '/statistiques'],
  export: ['/actions/export', '/api/v1/actions/export', '/favoris/export'],
} as const;
type Group = keyof typeof LIMITED_ROUTES;
const WINDOW_MS = 60_000;

function groupOf(request: FastifyRequest): Group | undefined {
  const url = request.routeOptions.url;
  return (Object.keys(LIMITED_ROUTES) as Group[]).find((g) =>
    (LIMITED_ROUTES[g] as readonly string[]).includes(url ?? ''),
  );
}

const WHAT: Record<Group, string> = { search: 'recherches', export: 'exports' };

function sendBusy(request: FastifyRequest, reply: FastifyReply) {
  const message = frenchSpacing('Le site est très chargé en ce moment : réessayez dans quelques secondes.');
  reply.status(503).header('Retry-After', '10');
  if (request.url.startsWith('/api/')) return reply.send({ statusCode: 503, code: 'busy', message });
  return reply.type('text/html; charset=utf-8').send(ErrorPage({ status: 503, message }));
}

/**
 * Bounds what one request and one client cost: a French 503 while the event loop lags behind
 * (`@fastify/under-pressure`; the probes stay answered), and per-client rate limits on the
 * searches and the exports (`@fastify/rate-limit`, counted in each process's memory), 429
 * with Retry-After and a French message.
 */
export async function installLimits(
  app: FastifyInstance,
  config: Pick<Config, 'maxEventLoopDelayMs' | 'rateLimits'>,
): Promise<void> {
  const limitOf = (request: FastifyRequest) => {
    const group = groupOf(request);
    return group ? config.rateLimits[group] : 0;
  };
  await app.register(underPressure, {
    maxEventLoopDelay: config.maxEventLoopDelayMs,
    // Short windows: a stall shows in the next quarter of a second, not averaged over a second.
    sampleInterval: 250,
    // A lagging process still says it lives: a probe must not restart it for being busy.
    pressureHandler: (request, reply) => {
      if (request.url !== '/healthz') sendBusy(request, reply);
    },
  });
  await app.register(rateLimit, {
    global: true,
    timeWindow: WINDOW_MS,
    allowList: (request) => limitOf(request) === 0,
    keyGenerator: (request) => `${groupOf(request)}:${request.ip}`,
    max: async (request) => limitOf(request),
    errorResponseBuilder: (request, context) =>
      new AppError(
        'too_many_requests',
        `Trop de ${WHAT[groupOf(request) as Group]} depuis votre adresse en une minute : réessayez dans ${Math.ceil(context.ttl / 1000)} secondes.`,
      ),
  });
}
