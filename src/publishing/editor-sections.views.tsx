import type { FicheContent } from '../actions/fiche.js';
import type { FormErrors } from '../core/errors.js';
import { type Choice, Notice } from '../web/forms.js';
import { ContentFields, IdentityFields } from './editor-fields.views.js';
import { EDITOR_SECTIONS, progressText, sectionFields, sectionProgress } from './editor-sections.js';
import type { FormChoices } from './publishing.presenter.js';
import type { StructureSearch } from './structure-choice.js';

/** The editor's table of contents: each section with how much of it is written. */
export function EditorToc({ content }: { content: FicheContent }): JSX.Element {
  return (
    <nav class="editor-toc" aria-labelledby="sommaire-titre">
      <h2 id="sommaire-titre">Sommaire</h2>
      <ol>
        {EDITOR_SECTIONS.map((section) => (
          <li>
            <a href={`#${section.id}`} safe>
              {section.title}
            </a>{' '}
            <span class="toc-progress" data-progress-of={section.id} safe>
              {progressText(sectionProgress(section, content))}
            </span>
          </li>
        ))}
      </ol>
    </nav>
  );
}

/**
 * The form's fields in its five sections, each with its heading, how much of it is written and,
 * for an editor, « Enregistrer le brouillon », which saves and comes back to the same section.
 */
export function EditorSections(props: {
  content: FicheContent;
  errors: FormErrors;
  choices: FormChoices;
  structures?: Choice[];
  structureId?: number;
  structureName?: string;
  structureSearch?: StructureSearch;
  /** The section whose button saved the draft just before, where the notice shows. */
  savedSection?: string;
  correcting?: boolean;
}): JSX.Element {
  return (
    <>
      {EDITOR_SECTIONS.map((section, n) => (
        <section class="editor-section" id={section.id} aria-labelledby={`${section.id}-titre`} data-section>
          <h2 id={`${section.id}-titre`} safe>{`${n + 1}. ${section.title}`}</h2>
          <p class="section-progress" data-progress-of={section.id} safe>
            {progressText(sectionProgress(section, props.content))}
          </p>
          {props.savedSection === section.id ? <Notice message="Brouillon enregistré." /> : ''}
          {n === 0 ? (
            <IdentityFields
              content={props.content}
              errors={props.errors}
              structures={props.structures}
              structureId={props.structureId}
              structureName={props.structureName}
              structureSearch={props.structureSearch}
            />
          ) : (
            ''
          )}
          <ContentFields
            content={props.content}
            errors={props.errors}
            choices={props.choices}
            fields={sectionFields(section)}
          />
          {props.correcting ? (
            ''
          ) : (
            <p class="section-actions">
              <button type="submit" name="intent" value={`save:${section.id}`} class="secondary">
                Enregistrer le brouillon
              </button>
            </p>
          )}
        </section>
      ))}
    </>
  );
}
