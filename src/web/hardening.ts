import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { AppError } from '../core/errors.js';
import { quote } from '../core/typography.js';
import { ErrorPage } from './error-page.js';
import { statusMessage } from './errors.js';
import { renderForSite, type SiteFrame } from './site.js';

/**
 * The headers every answer carries, even one written before Fastify's hooks ran (a malformed
 * address, headers too large): the same policy as helmet's for the pages.
 */
export const BASELINE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'self'; style-src 'self'; frame-ancestors 'self'; base-uri 'self'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'SAMEORIGIN',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const isApi = (url: string | undefined) => (url ?? '').startsWith('/api/');

/** The first key of a request part (query, form, params) whose value holds a NUL character. */
export function fieldWithNul(value: unknown, field?: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? (field ?? 'requête') : undefined;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = fieldWithNul(item, field);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) return field ?? 'requête';
      const found = fieldWithNul(item, field ?? key);
      if (found) return found;
    }
  }
  return undefined;
}

/** The French refusal of a value PostgreSQL could not store. */
export function nulCharacterError(field: string): AppError {
  return new AppError(
    'invalid_character',
    `Le champ ${quote(field)} contient un caractère nul (U+0000), qui n’est pas admis : retirez-le, puis envoyez de nouveau.`,
    field,
  );
}

function sendFrameworkError(site: SiteFrame, reply: FastifyReply, request: FastifyRequest, status: number) {
  const message = statusMessage(status);
  reply.headers(BASELINE_HEADERS).status(status);
  if (isApi(request.raw.url)) {
    return reply.type('application/json; charset=utf-8').send({ statusCode: status, code: 'bad_request', message });
  }
  return reply.type('text/html; charset=utf-8').send(renderForSite(site, () => ErrorPage({ status, message })));
}

// Node answers a request whose headers overflow (a 1 MB address, 10 000 parameters) itself, in
// English and without headers; this writes the French answer on the socket instead.
function clientErrorHandler(
  site: SiteFrame,
  error: Error & { code?: string; rawPacket?: unknown },
  socket: Socket,
): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const firstLine = Buffer.isBuffer(error.rawPacket) ? error.rawPacket.subarray(0, 64).toString('latin1') : '';
  const api = / \/api\//.test(firstLine);
  const message = statusMessage(status);
  const write = (body: string) => {
    const headers = {
      ...BASELINE_HEADERS,
      'Content-Type': api ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(body)),
      Connection: 'close',
    };
    const head = Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n');
    const reason =
      status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status} ${reason}\r\n${head}\r\n\r\n${body}`);
  };
  if (api) write(JSON.stringify({ statusCode: status, code: 'bad_request', message }));
  else
    void Promise.resolve(renderForSite(site, () => ErrorPage({ status, message }))).then(write, () => socket.destroy());
}

// Single-use links carry their token in the address: logs keep the route, never the token.
const TOKEN_PATHS = /^(\/(?:mot-de-passe|invitation|alertes\/confirmer|alertes\/desabonner)\/)[^/?#]+/;

/** The address as logged: tokens of single-use links replaced. */
export function redactUrl(url: string): string {
  return url.replace(TOKEN_PATHS, '$1[lien]');
}

/**
 * Fastify's options for errors met before any route, and for logs without secrets; their pages
 * are framed for `site`, as no request's context holds it yet.
 */
export function hardenedServerOptions(
  site: SiteFrame,
): Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'> {
  return {
    frameworkErrors: (error, request, reply) => sendFrameworkError(site, reply, request, error.statusCode ?? 400),
    clientErrorHandler: (error, socket) => clientErrorHandler(site, error, socket),
  };
}

/** The request as logged: method, address without tokens, host and client. */
export function logRequest(request: FastifyRequest) {
  return { method: request.method, url: redactUrl(request.url), host: request.host, remoteAddress: request.ip };
}

/**
 * Hooks every route gets: a NUL character anywhere in the input is refused in French with the
 * field's name (PostgreSQL cannot store it); a signed-in user's pages are never cached; HSTS
 * only over HTTPS, where it means something.
 */
export function installHardening(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const field = fieldWithNul(request.query) ?? fieldWithNul(request.params) ?? fieldWithNul(request.body as unknown);
    if (field) throw nulCharacterError(field);
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.user && !request.url.startsWith('/assets/')) reply.header('Cache-Control', 'no-store');
    if (request.protocol === 'https') reply.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  });
}
