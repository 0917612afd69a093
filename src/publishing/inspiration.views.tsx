import type { StoredFiche } from '../actions/fiche.js';
import type { FormErrors } from '../core/errors.js';
import { fichePath } from '../core/paths.js';
import { frenchSpacing, quote } from '../core/typography.js';
import { type Choice, CsrfField, ErrorSummary, FieldNotes, fieldId } from '../web/forms.js';
import { Layout } from '../web/layout.js';
import { StructureSearchField } from './editor-fields.views.js';
import type { StructureSearch } from './structure-choice.js';

/** Who asks to take the fiche up: a visitor, a user without a structure, or a contributor. */
export type InspirationReader =
  | { kind: 'visitor' }
  | { kind: 'no-structure' }
  | { kind: 'contributor'; csrf: string; structures?: Choice[]; search?: StructureSearch };

function StructureSelect(props: { structures: Choice[]; error?: string }): JSX.Element {
  return (
    <div class={props.error ? 'field field-invalid' : 'field'}>
      <label for={fieldId('structure')}>{'Pour quelle structure\u00a0?'}</label>
      <FieldNotes name="structure" error={props.error} />
      <select id={fieldId('structure')} name="structure">
        {props.structures.map((s) => (
          <option value={s.code} safe>
            {s.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The contributor's form: which structure, whether the budget comes along, then the draft. */
function InspirationForm(props: {
  action: string;
  reader: Extract<InspirationReader, { kind: 'contributor' }>;
  errors: FormErrors;
}): JSX.Element {
  const { reader } = props;
  return (
    <form method="post" action={props.action} novalidate>
      <CsrfField token={reader.csrf} />
      {reader.search ? (
        <StructureSearchField search={reader.search} error={props.errors.structure} />
      ) : (
        <StructureSelect structures={reader.structures ?? []} error={props.errors.structure} />
      )}
      <div class="choice">
        <input type="checkbox" id="avec-budget" name="withBudget" value="oui" />
        <label for="avec-budget">Reprendre aussi le texte du budget (les montants de ce centre)</label>
      </div>
      <div class="form-actions">
        <button type="submit">Créer mon brouillon</button>
      </div>
    </form>
  );
}

/**
 * « S'inspirer de cette fiche »: what taking it up does, then, for a contributor, the form that
 * writes the draft; for anyone else, how to become one.
 */
export function InspirationPage(props: {
  source: StoredFiche;
  reader: InspirationReader;
  errors?: FormErrors;
}): JSX.Element {
  const { source, reader } = props;
  const sourcePath = fichePath(source.id, source.title);
  const errors = props.errors ?? {};
  const title = 'S’inspirer de cette fiche';
  return (
    <Layout title={Object.keys(errors).length > 0 ? `Erreur — ${title}` : title} meta={{ noindex: true }}>
      <p class="kicker">Reprendre une action</p>
      <h1>{title}</h1>
      <p>
        <a href={sourcePath} safe>
          {quote(source.title)}
        </a>
        <span safe>{` — ${source.structure.name}`}</span>
      </p>
      <ErrorSummary errors={errors} />
      <p safe>
        {frenchSpacing(
          'Un brouillon de fiche est créé pour votre structure avec les textes et les mots clés de celle-ci : vous l’adaptez à votre centre, puis vous le soumettez à la relecture. Les fichiers joints ne sont pas repris ; le statut et les dates sont à remplir. Une fois publiée, votre fiche dira « inspirée de » celle-ci, qui dira qu’elle a été reprise.',
        )}
      </p>
      {reader.kind === 'contributor' ? (
        <InspirationForm action={`${sourcePath}/inspirer`} reader={reader} errors={errors} />
      ) : reader.kind === 'no-structure' ? (
        <p safe>
          {frenchSpacing(
            'Votre compte ne rédige les fiches d’aucune structure : demandez au relecteur de votre département de vous y inviter.',
          )}
        </p>
      ) : (
        <>
          <p safe>
            {frenchSpacing(
              'Pour reprendre cette action, il faut un compte de contributeur de votre centre social ou espace de vie sociale.',
            )}
          </p>
          <ul class="inline-links">
            <li>
              <a href={`/connexion?suite=${encodeURIComponent(`${sourcePath}/inspirer`)}`}>Se connecter</a>
            </li>
            <li>
              <a href="/devenir-contributeur">Devenir contributeur</a>
            </li>
          </ul>
        </>
      )}
    </Layout>
  );
}
