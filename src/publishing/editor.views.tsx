import type { FicheContent } from '../actions/fiche.js';
import type { SessionUser } from '../authorization/authorization.js';
import type { FormErrors } from '../core/errors.js';
import { frenchSpacing } from '../core/typography.js';
import { EspaceLayout } from '../web/espace-layout.js';
import { type Choice, CsrfField, ErrorSummary } from '../web/forms.js';
import { EditorSections, EditorToc } from './editor-sections.views.js';
import type { FormChoices } from './publishing.presenter.js';
import type { StructureSearch } from './structure-choice.js';

/** Why a save was refused when someone saved first, and where the two versions differ. */
function ConflictBox(props: { conflict?: { message: string; fields: string[] } }): JSX.Element {
  return (
    <>
      {props.conflict ? (
        <div class="error-summary" role="alert" tabindex="-1">
          <h2>Enregistrement refusé</h2>
          <p safe>{frenchSpacing(props.conflict.message)}</p>
          {props.conflict.fields.length > 0 && (
            <p safe>
              {frenchSpacing(
                `Champs où votre version diffère de celle enregistrée : ${props.conflict.fields.join(', ')}.`,
              )}
            </p>
          )}
        </div>
      ) : (
        ''
      )}
    </>
  );
}

/** The form's buttons: an editor's save and submit, or a reviewer's « Corriger et publier ». */
function EditorButtons(props: { correcting?: boolean; cancel: string }): JSX.Element {
  return (
    <div class="form-actions">
      {props.correcting ? (
        <button type="submit" name="intent" value="publish">
          Corriger et publier
        </button>
      ) : (
        <>
          <button type="submit" name="intent" value="save">
            Enregistrer le brouillon
          </button>
          <button type="submit" name="intent" value="submit" class="secondary">
            Enregistrer et soumettre à relecture
          </button>
        </>
      )}
      <a href={props.cancel}>Annuler</a>
    </div>
  );
}

/** The editor form: every field of a fiche, in the source's order, with help and errors. */
export function EditorPage(props: {
  user: SessionUser;
  csrf: string;
  title: string;
  action: string;
  content: FicheContent;
  version: number;
  choices: FormChoices;
  structures?: Choice[];
  structureId?: number;
  structureName?: string;
  errors?: FormErrors;
  /** Set when the save was refused because someone saved first, with the fields where the two versions differ. */
  conflict?: { message: string; fields: string[] };
  cancel: string;
  /** A reviewer's fixes to submitted work, published at once, rather than an editor's draft. */
  correcting?: boolean;
  /** The section whose « Enregistrer le brouillon » was pressed. */
  savedSection?: string;
  /** Where the script saves the draft every 30 s; none for a fiche not saved once yet. */
  autosave?: string;
  /** A search field rather than a list for the new fiche's structure. */
  structureSearch?: StructureSearch;
}): JSX.Element {
  const c = props.content;
  const e = props.errors ?? {};
  const pageTitle = Object.keys(e).length > 0 || props.conflict ? `Erreur — ${props.title}` : props.title;
  return (
    <EspaceLayout title={pageTitle} user={props.user} csrf={props.csrf}>
      <h1 safe>{props.title}</h1>
      <ConflictBox conflict={props.conflict} />
      <ErrorSummary errors={e} />
      {props.correcting ? (
        <p safe>
          {frenchSpacing(
            'Corrigez ce qui doit l’être avant publication : vos corrections sont enregistrées à votre nom dans l’historique, le reste du texte reste celui de la structure, puis la fiche est publiée.',
          )}
        </p>
      ) : (
        ''
      )}
      <p class="hint">
        Les champs marqués d’un astérisque (*) sont obligatoires. Tout le reste peut être complété plus tard.
      </p>
      <EditorToc content={c} />
      <form method="post" action={props.action} novalidate class="editor" data-autosave={props.autosave}>
        <CsrfField token={props.csrf} />
        <input type="hidden" name="version" value={String(props.version)} />
        <EditorSections
          content={c}
          errors={e}
          choices={props.choices}
          structures={props.structures}
          structureId={props.structureId}
          structureName={props.structureName}
          structureSearch={props.structureSearch}
          savedSection={props.savedSection}
          correcting={props.correcting}
        />
        <p id="autosave-status" class="autosave-status" role="status" />
        <EditorButtons correcting={props.correcting} cancel={props.cancel} />
      </form>
    </EspaceLayout>
  );
}
