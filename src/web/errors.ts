import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { frenchSpacing, quote } from '../core/typography.js';

/** An error whose message is written for the user and may be shown as is. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

// What Fastify and Node answer in English, said in French; by status for the framework's own
// errors (a body too large, a content type it does not read…).
const STATUS_MESSAGES: Record<number, string> = {
  400: 'La requête est mal formée : vérifiez l’adresse ou le formulaire envoyé.',
  404: 'Aucune page ne correspond à cette adresse.',
  405: 'Cette adresse ne répond pas à cette méthode.',
  406: 'Ce format de réponse n’est pas disponible.',
  408: 'La requête a mis trop de temps à arriver.',
  413: 'Le contenu envoyé est trop volumineux.',
  414: 'L’adresse est trop longue.',
  415: 'Ce type de contenu n’est pas accepté ici.',
  431: 'La requête est trop grande (adresse ou en-têtes trop longs) : raccourcissez la recherche.',
};

/** The French message for a framework error of this status. */
export function statusMessage(status: number): string {
  return frenchSpacing(STATUS_MESSAGES[status] ?? STATUS_MESSAGES[400]);
}

/** Why a form was refused by the CSRF checks. */
export const CSRF_MESSAGE =
  'Ce formulaire a expiré ou ne vient pas de ce site : rechargez la page, puis envoyez-le de nouveau.';

/** A 404 with a French message. */
export function notFound(message: string): HttpError {
  return new HttpError(404, 'not_found', message);
}

const FIELD_FROM_PATH = /^\/?([^/]+)/;

/** Turns any error into a JSON body {statusCode, code, message, field} for the API, never leaking internals. */
export function toApiError(error: FastifyError | HttpError, request: FastifyRequest) {
  if (error instanceof HttpError) {
    return {
      statusCode: error.statusCode,
      code: error.code,
      message: frenchSpacing(error.message),
      field: error.field,
    };
  }
  if (error.code === 'FST_CSRF_MISSING_SECRET' || error.code === 'FST_CSRF_INVALID_TOKEN') {
    return {
      statusCode: 403,
      code: 'csrf',
      message: frenchSpacing(CSRF_MESSAGE),
      field: undefined,
    };
  }
  if (error.validation && error.validation.length > 0) {
    const first = error.validation[0];
    const params = first.params as { missingProperty?: string; additionalProperty?: string };
    const field =
      FIELD_FROM_PATH.exec(first.instancePath)?.[1] ??
      params.missingProperty ??
      params.additionalProperty ??
      error.validationContext ??
      'requête';
    return {
      statusCode: 400,
      code: 'invalid_parameter',
      message: frenchSpacing(`Paramètre ${quote(field)} invalide : ${describeRule(first.keyword, first.params)}.`),
      field,
    };
  }
  const statusCode = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
  if (statusCode === 500) request.log.error(error);
  return {
    statusCode,
    code: statusCode === 500 ? 'internal_error' : (error.code ?? 'bad_request').toLowerCase(),
    // The framework's own messages are English: the user reads the French one of the status.
    message:
      statusCode === 500
        ? 'Une erreur interne est survenue. Réessayez dans un instant ; si elle persiste, signalez-la.'
        : statusMessage(statusCode),
  };
}

function describeRule(keyword: string, params: Record<string, unknown>): string {
  switch (keyword) {
    case 'type':
      return params.type === 'integer'
        ? 'un nombre entier est attendu'
        : `une valeur de type ${params.type} est attendue`;
    case 'minimum':
      return `la valeur doit être au moins ${params.limit}`;
    case 'maximum':
      return `la valeur doit être au plus ${params.limit}`;
    case 'maxLength':
      return `${params.limit} caractères au plus`;
    case 'required':
      return 'valeur obligatoire';
    case 'maxItems':
      return `${params.limit} valeurs au plus`;
    case 'pattern':
      return 'cette valeur contient des caractères non admis';
    case 'additionalProperties':
      return 'ce paramètre n’existe pas';
    case 'enum':
      return `valeurs admises : ${(params.allowedValues as unknown[]).join(', ')}`;
    default:
      return 'valeur non admise';
  }
}

/** Sends an error as JSON. */
export function sendApiError(reply: FastifyReply, body: ReturnType<typeof toApiError>) {
  return reply.status(body.statusCode).type('application/json; charset=utf-8').send(body);
}
