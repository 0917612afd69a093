import type { IncomingMessage } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyRequest, FastifySchema, RawServerDefault, RouteGenericInterface, RouteOptions } from 'fastify';
import { type TProperties, Type } from 'typebox';

// Every route declares what it reads (the path's parameters, the query, the form), so that
// nothing reaches a handler unchecked and the handler's types come from the schema.

/** The longest text a form field may carry; the services say, in French, what a good value is. */
const FIELD_MAX = 100_000;

/** One text field of a form, as a browser sends it. */
export function FormText(maxLength = FIELD_MAX) {
  return Type.Optional(Type.String({ maxLength }));
}

/** A field sent once per ticked box: none, one or several values. */
export const FormChoices = Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 1000 }));

/** A form's body: its fields and the CSRF token every form sends back; nothing else. */
export function FormBody<T extends TProperties>(fields: T) {
  return Type.Object({ _csrf: FormText(200), ...fields }, { additionalProperties: false });
}

/** A body with no field but the CSRF token: a button. */
export const ButtonBody = FormBody({});

/**
 * A page's query: the parameters it reads. Others are let through, since a link shared by
 * e-mail or a newsletter often carries some (utm_source…) and the page should still open.
 */
export function PageQuery<T extends TProperties>(parameters: T) {
  return Type.Object(parameters, { additionalProperties: true });
}

/** A page that reads no parameter from its address. */
export const NoQuery = PageQuery({});

/** The notice a page shows after a redirect (?info=…). */
export const NoticeQuery = PageQuery({ info: Type.Optional(Type.String({ maxLength: 40 })) });

/**
 * A path's parameter as the address gives it; the handler reads it (a fiche's number, a
 * slug) and answers 404 for what does not exist, as for any address.
 */
export const PathSegment = Type.String({ maxLength: 300 });

/**
 * A request that sends no body at all (a mail client's one-click unsubscription, a hostile
 * client) is read as an empty form, so that the route answers it as such (404 for a link that
 * is gone, 403 without the CSRF token) rather than as a malformed request.
 */
export async function emptyBodyAsEmptyForm(request: FastifyRequest): Promise<void> {
  if (request.body === undefined && request.routeOptions.schema?.body) request.body = {};
}

/** The parts of its schema a route must have, by what it reads; empty when it has them all. */
export function missingSchemaParts(route: Pick<RouteOptions, 'method' | 'url' | 'schema'>): string[] {
  const schema = route.schema;
  if (!schema) return ['schema'];
  const methods = [route.method].flat();
  const missing: string[] = [];
  if (/:[A-Za-z]/.test(route.url) && !schema.params) missing.push('params');
  if (methods.some((m) => m === 'POST' || m === 'PUT' || m === 'PATCH') && !schema.body) missing.push('body');
  // A wildcard route serves files by their path (the stylesheet, the script): no query to read.
  if (methods.includes('GET') && !route.url.includes('*') && !schema.querystring) missing.push('querystring');
  return missing;
}

/** Refuses, when the app is built, a route whose schema misses a part of what it reads. */
export function requireRouteSchema(route: RouteOptions): void {
  const missing = missingSchemaParts(route);
  if (missing.length > 0) {
    throw new Error(`Route ${[route.method].flat().join(',')} ${route.url} has no schema for: ${missing.join(', ')}`);
  }
}

/** The request a top-level handler gets for a route schema: each part typed from the schema. */
export type RequestOf<S extends FastifySchema> = FastifyRequest<
  RouteGenericInterface,
  RawServerDefault,
  IncomingMessage,
  S,
  TypeBoxTypeProvider
>;
