/** Messages of a refused form keyed by field name: shown next to each field and in a summary. */
export type FormErrors = Record<string, string>;

/**
 * What went wrong, as the API's `code` names it. Only the web layer turns a code into an HTTP
 * status (`web/errors.ts`), so that services and the command line speak of what happened.
 */
export type ErrorCode =
  // The request or a form is not acceptable as it is.
  | 'invalid_parameter'
  | 'invalid_character'
  | 'invalid_email'
  | 'invalid_name'
  | 'invalid_frequency'
  | 'invalid_password'
  | 'invalid_structure'
  | 'invalid_term'
  | 'weak_password'
  | 'password_mismatch'
  | 'comment_required'
  | 'comment_too_long'
  | 'unknown_structure'
  | 'unknown_departement'
  | 'no_role'
  | 'file_refused'
  | 'invalid_synonyms'
  | 'invalid_dump'
  | 'invalid_command'
  // Who asks may not, or is not who they say.
  | 'invalid_credentials'
  | 'forbidden'
  | 'csrf'
  // What is asked for is not there, or no longer.
  | 'not_found'
  | 'unknown_user'
  | 'link_expired'
  // The fiche is not in a state that allows it.
  | 'stale_version'
  | 'wrong_state'
  | 'archived'
  | 'not_submitted'
  | 'already_submitted'
  | 'nothing_to_submit'
  | 'nothing_to_discard'
  // Too much at once.
  | 'file_too_large'
  | 'not_multipart'
  | 'too_many_requests'
  | 'too_many_attempts'
  | 'busy'
  | 'query_timeout'
  // The service cannot run as set up.
  | 'invalid_config'
  | 'database_locked'
  | 'mail_unavailable'
  | 'storage_unavailable'
  | 'sign_in_refused'
  | 'sign_in_unavailable';

/**
 * The one error the app throws for the user: its message is written for them and may be shown
 * as is, `field` names the form field it is about, and `errors` holds every field's message
 * when a form was refused for several at once.
 */
export class AppError extends Error {
  readonly errors: FormErrors;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    errors?: FormErrors,
  ) {
    super(message);
    this.errors = errors ?? (field ? { [field]: message } : {});
  }

  /** A form refused for several fields, each with its message. */
  static form(code: ErrorCode, errors: FormErrors): AppError {
    return new AppError(code, Object.values(errors).join(' '), Object.keys(errors)[0], errors);
  }
}

/** The error for something that is not there, with a French message. */
export function notFound(message: string): AppError {
  return new AppError('not_found', message);
}
