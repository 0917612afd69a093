import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../core/errors.js';
import { frenchSpacing, quote } from '../core/typography.js';

// The one place where what went wrong becomes an HTTP status.
const STATUS_OF: Record<ErrorCode, number> = {
  invalid_parameter: 400,
  invalid_character: 400,
  invalid_email: 400,
  invalid_name: 400,
  invalid_frequency: 400,
  invalid_password: 400,
  invalid_structure: 400,
  invalid_term: 400,
  weak_password: 400,
  password_mismatch: 400,
  comment_required: 400,
  comment_too_long: 400,
  unknown_structure: 400,
  unknown_departement: 400,
  no_role: 400,
  file_refused: 400,
  invalid_synonyms: 400,
  invalid_dump: 400,
  invalid_command: 400,
  invalid_credentials: 401,
  forbidden: 403,
  csrf: 403,
  not_found: 404,
  unknown_user: 404,
  link_expired: 410,
  stale_version: 409,
  wrong_state: 409,
  archived: 409,
  not_submitted: 409,
  already_submitted: 409,
  nothing_to_submit: 409,
  nothing_to_discard: 409,
  file_too_large: 413,
  not_multipart: 415,
  too_many_requests: 429,
  too_many_attempts: 429,
  invalid_config: 500,
  database_locked: 503,
  mail_unavailable: 503,
  storage_unavailable: 503,
  sign_in_refused: 403,
  sign_in_unavailable: 503,
  busy: 503,
  query_timeout: 503,
};

/** A statement stopped by the statement timeout, as the reader is told it. */
export function queryTimeout(): AppError {
  return new AppError(
    'query_timeout',
    'Cette demande a pris trop de temps et a été interrompue pour ne pas ralentir le site. Réessayez dans un instant, ou affinez la recherche.',
  );
}

/** The HTTP status that answers an app error. */
export function statusOf(error: AppError): number {
  return STATUS_OF[error.code];
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

const FIELD_FROM_PATH = /^\/?([^/]+)/;

/** Turns any error into a JSON body {statusCode, code, message, field} for the API, never leaking internals. */
export function toApiError(error: FastifyError | AppError, request: FastifyRequest) {
  // PostgreSQL's statement_timeout (the web process's pool sets it) cancelled the statement.
  if ((error as { code?: string }).code === '57014') error = queryTimeout();
  if (error instanceof AppError) {
    return {
      statusCode: statusOf(error),
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
