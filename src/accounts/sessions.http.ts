import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionUser } from '../authorization/authorization.js';
import { AppError } from '../core/errors.js';
import type { Db } from '../db/database.js';
import { CSRF_MESSAGE } from '../web/errors.js';
import { cookieSecret, purgeAccounts, resolveSession, SESSION_TTL_MS } from './accounts.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The logged-in user, or null for a visitor. */
    user: SessionUser | null;
  }
  interface FastifyContextConfig {
    /** False for a route whose address itself is the proof (a signed unsubscribe link). */
    csrf?: boolean;
  }
}

/** The cookie holding the session's token. */
export const SESSION_COOKIE = 'essaim_session';
const CSRF_COOKIE = 'essaim_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Sets up what every route relies on: cookies signed with the database's secret, form bodies,
 * CSRF tokens checked on every write, and `request.user` read from the session cookie.
 * Called on the root instance so that its hooks apply to every route.
 */
export async function installSessions(app: FastifyInstance, db: Db): Promise<void> {
  await app.register(cookie, { secret: await cookieSecret(db) });
  await app.register(formbody, { bodyLimit: 1024 * 1024 });
  await app.register(csrf, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, signed: true, secure: 'auto' },
  });
  // Expired sessions and links and old attempts are deleted at start and then every hour.
  const purge = () => purgeAccounts(db).catch((error: unknown) => app.log.warn({ err: error }, 'account purge failed'));
  await purge();
  const timer = setInterval(purge, 60 * 60_000).unref();
  app.addHook('onClose', async () => clearInterval(timer));
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    request.user = token ? await resolveSession(db, token) : null;
  });
  // Every write carries a token from a form this site served: no route can forget it. A
  // browser also says where a form comes from (Sec-Fetch-Site, Origin): another site's is refused
  // before the token is even read.
  app.addHook('preHandler', (request, reply, done) => {
    if (SAFE_METHODS.has(request.method) || request.routeOptions.config.csrf === false) return done();
    if (!fromThisSite(request)) return done(csrfRefusal());
    app.csrfProtection(request, reply, done);
  });
}

// A browser that sends Sec-Fetch-Site says it all. Otherwise Origin, when it names a site; it is
// "null" for the site's own forms too, since the pages ask for no referrer (Chromium then hides
// the origin), so "null" alone proves nothing either way and the CSRF token decides.
function fromThisSite(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin' || site === 'none';
  const origin = request.headers.origin;
  return origin === undefined || origin === 'null' || origin === `${request.protocol}://${request.host}`;
}

function csrfRefusal(): AppError {
  return new AppError('csrf', CSRF_MESSAGE);
}

/**
 * Forgets the visitor's CSRF secret, so that the next form gets a new one: called at login, so
 * that a token seen before the session cannot serve inside it.
 */
export function rotateCsrfSecret(reply: FastifyReply): void {
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}

/** Hands the session's token to the browser: HttpOnly, SameSite=Lax, Secure behind HTTPS. */
export function setSessionCookie(reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: 'auto',
    maxAge: SESSION_TTL_MS / 1000,
  });
}

/** Removes the session cookie. */
export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

/** A preHandler hook for the contributors' space: a visitor is sent to the login page, with the way back. */
export async function requireLogin(request: FastifyRequest, reply: FastifyReply) {
  if (!request.user) return reply.redirect(`/connexion?suite=${encodeURIComponent(request.url)}`, 303);
}

/** The logged-in user of a route behind `requireLogin`. */
export function userOf(request: FastifyRequest): SessionUser {
  return request.user as SessionUser;
}

/** Throws a 403 with a French message unless `allowed`. */
export function ensure(allowed: boolean, message = 'Vous n’avez pas le droit de faire cela.'): void {
  if (!allowed) throw new AppError('forbidden', message);
}
