import type { Children } from '@kitajs/html';
import { AppError, type FormErrors } from '../core/errors.js';
import { frenchSpacing } from '../core/typography.js';
import { statusOf } from './errors.js';

/** The hidden field carrying the CSRF token every form sends back. */
export function CsrfField(props: { token: string }): JSX.Element {
  return <input type="hidden" name="_csrf" value={props.token} />;
}

/** The list of a refused form's errors at its top, each a link to its field; focused by the script. */
export function ErrorSummary(props: { errors: FormErrors }): JSX.Element {
  const entries = Object.entries(props.errors);
  if (entries.length === 0) return '';
  return (
    <div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title" safe>
        {entries.length === 1
          ? 'Le formulaire contient une erreur'
          : `Le formulaire contient ${entries.length} erreurs`}
      </h2>
      <ul>
        {entries.map(([field, message]) => (
          <li>
            <a href={`#${fieldId(field)}`} safe>
              {frenchSpacing(message)}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A message confirming what was just done, read out by screen readers; nothing when there is none. */
export function Notice(props: { message?: string; children?: Children }): JSX.Element {
  if (!props.message && !props.children) return '';
  return (
    <div role="status" class="notice">
      {props.message ? <p safe>{frenchSpacing(props.message)}</p> : <p>{props.children}</p>}
    </div>
  );
}

/** The id of a field's input, which labels and the summary point to. */
export function fieldId(name: string): string {
  return `champ-${name}`;
}

/** A field's hint and error, and the aria-describedby that ties them to its input. */
export function describedBy(name: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${fieldId(name)}-aide` : '', error ? `${fieldId(name)}-erreur` : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

/** The hint and error lines of a field. */
export function FieldNotes(props: { name: string; hint?: string; error?: string }): JSX.Element {
  return (
    <>
      {props.hint ? (
        <p class="hint" id={`${fieldId(props.name)}-aide`} safe>
          {frenchSpacing(props.hint)}
        </p>
      ) : (
        ''
      )}
      {props.error ? (
        <p class="field-error" id={`${fieldId(props.name)}-erreur`} safe>
          {frenchSpacing(props.error)}
        </p>
      ) : (
        ''
      )}
    </>
  );
}

/** What a labelled field of one value is given. */
interface FieldProps {
  name: string;
  label: string;
  value?: string;
  hint?: string;
  error?: string;
  required?: boolean;
  maxlength?: number;
}

/** A field's frame: its label, hint and error around the control, marked invalid with an error. */
function FieldFrame(props: FieldProps & { children: Children }): JSX.Element {
  return (
    <div class={props.error ? 'field field-invalid' : 'field'}>
      <label for={fieldId(props.name)} safe>
        {props.label}
      </label>
      <FieldNotes name={props.name} hint={props.hint} error={props.error} />
      {props.children}
    </div>
  );
}

// What the input and the text area share: their name, limits and the notes that describe them.
function controlAttributes(props: FieldProps) {
  return {
    id: fieldId(props.name),
    name: props.name,
    required: props.required,
    maxlength: props.maxlength,
    'aria-invalid': props.error ? 'true' : undefined,
    'aria-describedby': describedBy(props.name, props.hint, props.error),
  };
}

/** A labelled one-line input with its hint and error. */
export function TextField(
  props: FieldProps & { type?: 'text' | 'email' | 'password' | 'month' | 'tel' | 'url'; autocomplete?: string },
): JSX.Element {
  return (
    <FieldFrame {...props}>
      <input
        {...controlAttributes(props)}
        type={props.type ?? 'text'}
        value={props.type === 'password' ? undefined : props.value}
        autocomplete={props.autocomplete}
      />
    </FieldFrame>
  );
}

/** A labelled text area with its hint and error. */
export function TextArea(props: FieldProps & { rows?: number }): JSX.Element {
  return (
    <FieldFrame {...props}>
      <textarea {...controlAttributes(props)} rows={String(props.rows ?? 8)} safe>
        {props.value ?? ''}
      </textarea>
    </FieldFrame>
  );
}

/** One value a set of radios or checkboxes offers. */
export interface Choice {
  code: string;
  label: string;
}

/** A set of radios with its legend, hint and error; `optional` adds « Non renseigné ». */
export function Radios(props: {
  name: string;
  legend: string;
  choices: Choice[];
  value: string | null;
  hint?: string;
  error?: string;
  optional?: boolean;
}): JSX.Element {
  return (
    <fieldset class={props.error ? 'field field-invalid' : 'field'} id={fieldId(props.name)}>
      <legend safe>{props.legend}</legend>
      <FieldNotes name={props.name} hint={props.hint} error={props.error} />
      {props.choices.map((c) => (
        <div class="choice">
          <input
            type="radio"
            name={props.name}
            id={`${props.name}-${c.code}`}
            value={c.code}
            checked={props.value === c.code}
          />
          <label for={`${props.name}-${c.code}`} safe>
            {c.label}
          </label>
        </div>
      ))}
      {props.optional && (
        <div class="choice">
          <input type="radio" name={props.name} id={`${props.name}-aucun`} value="" checked={props.value === null} />
          <label for={`${props.name}-aucun`}>Non renseigné</label>
        </div>
      )}
    </fieldset>
  );
}

/**
 * Turns a refused form's error into its status and the messages shown next to its fields, the
 * message going to `fallbackField` when the error names none; rethrows the rest (a refusal of
 * access, a failure), which the error page answers.
 */
export function formErrors(error: unknown, fallbackField: string): { status: number; errors: FormErrors } {
  if (!(error instanceof AppError)) throw error;
  const status = statusOf(error);
  if (status === 403 || status >= 500) throw error;
  const named = Object.keys(error.errors).length > 0;
  return { status, errors: named ? error.errors : { [fallbackField]: error.message } };
}
