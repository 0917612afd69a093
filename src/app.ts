import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import helmet from '@fastify/helmet';
import { fastifyRequestContext } from '@fastify/request-context';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type RouteOptions } from 'fastify';
import type { Kysely } from 'kysely';
import type { DestinationStream } from 'pino';
import { accountPages } from './accounts/accounts.pages.js';
import { installSessions } from './accounts/sessions.http.js';
import { actionPages } from './actions/actions.pages.js';
import { actionRoutes } from './actions/actions.routes.js';
import { alertPages } from './alerts/alerts.pages.js';
import { feedRoutes } from './alerts/feed.routes.js';
import { attachmentPages } from './attachments/attachments.pages.js';
import { openFileStorage } from './attachments/storage.js';
import type { Config } from './config.js';
import type { DbHandle } from './db/connect.js';
import type { Database, Db } from './db/database.js';
import { ExportGate } from './exports/export-gate.js';
import { exportRoutes } from './exports/exports.routes.js';
import { favouritePages } from './favourites/favourites.pages.js';
import { FigureCounter } from './figures/figure-counter.js';
import { figurePages } from './figures/figures.pages.js';
import { freshnessPages } from './freshness/freshness.pages.js';
import { type Background, createBackground } from './jobs/background.js';
import { createMailer, type Mailer } from './mail/mailer.js';
import { openDataPages } from './opendata/opendata.pages.js';
import { AppMetrics } from './ops/metrics.js';
import { opsRoutes } from './ops/ops.routes.js';
import { ProConnectClient } from './proconnect/proconnect.client.js';
import { proConnectPages } from './proconnect/proconnect.pages.js';
import { inspirationPages } from './publishing/inspiration.page.js';
import { publishingPages } from './publishing/publishing.pages.js';
import { reportPages } from './reports/reports.pages.js';
import { searchPages } from './search/search.pages.js';
import { centreContactPages } from './site/centre-contact.pages.js';
import { sitePages } from './site/site.pages.js';
import { siteRoutes } from './site/site.routes.js';
import { statisticsRoutes } from './stats/stats.routes.js';
import { structureContactPages } from './structures/contact.pages.js';
import { structureManagementPages } from './structures/structures.manage.pages.js';
import { structurePages } from './structures/structures.pages.js';
import { structureRoutes } from './structures/structures.routes.js';
import { termPages } from './terms/terms.pages.js';
import { vocabularyRoutes } from './vocabularies/vocabularies.routes.js';
import { apiDocsRoutes, openApiInfo } from './web/api-docs.routes.js';
import { buildClientBundle, clientScriptRoute } from './web/client-bundle.js';
import { ErrorPage } from './web/error-page.js';
import { sendApiError, toApiError } from './web/errors.js';
import { hardenedServerOptions, installHardening } from './web/hardening.js';
import { installLimits } from './web/limits.js';
import { createLogger } from './web/logger.js';
import { emptyBodyAsEmptyForm, requireRouteSchema } from './web/route-schemas.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Work done after the answer: await `idle()` to see its effects. */
    background: Background;
    /** Page views and downloads, counted in memory and stored every few seconds (ADR 0020). */
    figures: FigureCounter;
    /** The exports running now, per client and overall. */
    exportGate: ExportGate;
    /** Every route as registered, with its schema; each one has checked parts (web/route-schemas.ts). */
    routeList: ReadonlyArray<Pick<RouteOptions, 'method' | 'url' | 'schema'>>;
  }
}

// How long page views wait in memory before they are stored: a crash loses at most this much.
const FIGURES_FLUSH_MS = 5_000;
// Exports running at once: a reader's two tabs, and a few readers for one process.
const EXPORTS_PER_CLIENT = 2;
const EXPORTS_AT_ONCE = 6;

const ASSETS = path.join(import.meta.dirname, 'web', 'assets');

/** The settings the web application reads. */
export type AppConfig = Pick<
  Config,
  | 'logLevel'
  | 'dataDir'
  | 'publicUrl'
  | 'smtpUrl'
  | 'mailFrom'
  | 'trustProxy'
  | 'site'
  | 'reminders'
  | 'metricsToken'
  | 'maxEventLoopDelayMs'
  | 'rateLimits'
  | 's3'
  | 'proconnect'
>;

/** What the caller may add: a logger or its stream, and the database pool's figures for the metrics. */
export interface AppOptions {
  logger?: FastifyBaseLogger;
  logStream?: DestinationStream;
  poolStats?: DbHandle['poolStats'];
}

/** The setting in the forms Fastify's types take; a hop count as Fastify itself compiles it. */
function fastifyTrustProxy(
  setting: Config['trustProxy'],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return typeof setting === 'boolean' ? setting : [...setting];
}

/**
 * Builds the web application on an open database; the caller listens and closes. It logs with
 * `logger`, else a new one writing JSON to `logStream` (stdout by default).
 */
export async function buildApp(db: Db, config: AppConfig, options: AppOptions = {}): Promise<FastifyInstance> {
  // The pages' frame reads the site's address, licence and accessibility from the request's context.
  const site = { publicUrl: config.publicUrl, licence: config.site.licence, accessibility: config.site.accessibility };
  const app = Fastify({
    loggerInstance: options.logger ?? createLogger({ level: config.logLevel, stream: options.logStream }),
    ...hardenedServerOptions(site),
    trustProxy: fastifyTrustProxy(config.trustProxy),
    // On SIGTERM the listening socket closes, so the proxy sends new requests to another
    // process; a request already accepted is served rather than answered 503.
    return503OnClosing: false,
    // A client sending its request for longer is cut off (behind nginx bodies arrive at once).
    requestTimeout: 300_000,
    // The proxy's X-Request-Id names the request in every log line, checked (requestIdOf).
    requestIdHeader: false,
    genReqId: requestIdOf,
    // Ajv's defaults would coerce "abc" to nothing silently; keep types strict but coerce query strings.
    // 'array' also turns a repeatable parameter given once (?keyword=culture) into a list.
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  });
  await app.register(helmet, {
    contentSecurityPolicy: { directives: { 'default-src': ["'self'"], 'style-src': ["'self'"] } },
    // Sent by installHardening over HTTPS only: over plain HTTP it would mean nothing.
    strictTransportSecurity: false,
  });
  await app.register(fastifyRequestContext, { defaultStoreValues: { site } });
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

  // Every route says what it reads: one without its schema stops the app from being built.
  const routeList: RouteOptions[] = [];
  app.decorate('routeList', routeList);
  app.addHook('onRoute', (route) => {
    requireRouteSchema(route);
    routeList.push(route);
  });
  app.addHook('preValidation', emptyBodyAsEmptyForm);
  // Routes come after the handlers above, so that their plugins inherit them.
  await installSessions(app, db);
  installHardening(app);
  const metrics = await installOperations(app, db, config, options.poolStats);
  await installLimits(app, config);
  const mailer = metrics.countMails(createMailer(config, app.log));
  const background = createBackground(app.log);
  app.decorate('background', background);
  app.addHook('onClose', () => background.idle());
  const figures = new FigureCounter(db, (error) => app.log.error({ err: error }, 'figures not stored yet'));
  figures.start(FIGURES_FLUSH_MS);
  app.decorate('figures', figures);
  app.decorate('exportGate', new ExportGate(EXPORTS_PER_CLIENT, EXPORTS_AT_ONCE));
  app.addHook('onClose', () => figures.stop());
  await registerRoutes(app, db, config, mailer);
  return app;
}

// A request id from the proxy when it is one (letters, digits, - _ . :), else a new one.
function requestIdOf(raw: IncomingMessage): string {
  const given = raw.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}

/** Every answer counted for the metrics and marked with its request id; the operators' routes. */
async function installOperations(
  app: FastifyInstance,
  db: Db,
  config: AppConfig,
  poolStats: AppOptions['poolStats'],
): Promise<AppMetrics> {
  // The app is built on the database itself, never inside a transaction.
  const metrics = new AppMetrics(db as Kysely<Database>, poolStats);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
  await app.register(opsRoutes(db as Kysely<Database>, metrics, config.metricsToken));
  return metrics;
}

// Every page and API route, on the app built above: its frame, sessions and hardening first.
async function registerRoutes(app: FastifyInstance, db: Db, config: AppConfig, mailer: Mailer): Promise<void> {
  const storage = await openFileStorage(db, config);
  app.addHook('onClose', async () => storage.close?.());
  await app.register(swagger, { openapi: openApiInfo(config.publicUrl, config.site.licence), hideUntagged: true });
  await app.register(fastifyStatic, { root: ASSETS, prefix: '/assets/', maxAge: '1h' });
  await app.register(clientScriptRoute(await buildClientBundle()));
  const proconnect = config.proconnect
    ? new ProConnectClient(config.proconnect, `${config.publicUrl}/connexion/proconnect/retour`)
    : undefined;
  const endProConnectSession =
    proconnect && ((idToken: string) => proconnect.endSessionUrl(idToken, `${config.publicUrl}/connexion`));
  await app.register(accountPages(db, mailer, app.background, config, endProConnectSession));
  await app.register(publishingPages(db, mailer, storage, config));
  await app.register(attachmentPages(db, storage));
  await app.register(proConnectPages({ db, client: proconnect, publicUrl: config.publicUrl }));
  await app.register(structureManagementPages(db));
  await app.register(structureContactPages(db));
  await app.register(termPages(db));
  const exportSite = { publicUrl: config.publicUrl, licence: config.site.licence, gate: app.exportGate };
  await app.register(exportRoutes(db, exportSite));
  await app.register(searchPages(db));
  await app.register(statisticsRoutes(db));
  await app.register(favouritePages(db, exportSite));
  await app.register(alertPages(db, mailer, config.publicUrl));
  await app.register(feedRoutes(db, config.publicUrl, config.site.licence));
  await app.register(actionPages(db, config.publicUrl, app.figures));
  await app.register(inspirationPages(db));
  await app.register(reportPages(db, mailer, config.publicUrl));
  await app.register(freshnessPages(db, config.reminders));
  await app.register(figurePages(db));
  await app.register(structurePages(db));
  await app.register(centreContactPages(db, mailer, config));
  await app.register(actionRoutes(db));
  await app.register(structureRoutes(db));
  await app.register(vocabularyRoutes(db));
  await app.register(apiDocsRoutes(config.publicUrl));
  await app.register(sitePages(db, config));
  await app.register(openDataPages(config.dataDir, config.site.licence));
  await app.register(siteRoutes(db, config.publicUrl));
}
