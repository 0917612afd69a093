import type { SessionUser } from '../authorization/authorization.js';
import type { FormErrors } from '../core/errors.js';
import { frenchSpacing, quote } from '../core/typography.js';
import type { VocabularyTableName } from '../db/database.js';
import { EspaceLayout } from '../web/espace-layout.js';
import { CsrfField, ErrorSummary, FieldNotes, fieldId, Notice, TextField } from '../web/forms.js';
import { TableScroll } from '../web/table-scroll.js';
import { type getTerm, LABEL_MAX, type listVocabularies, VOCABULARY_NAMES } from './terms.service.js';

export type Vocabularies = Awaited<ReturnType<typeof listVocabularies>>;
export type Term = Awaited<ReturnType<typeof getTerm>>;

type Vocabulary = Awaited<ReturnType<typeof listVocabularies>>[number];

/** A vocabulary's values: label, code, how many published fiches use it, whether it was checked. */
function TermTable({ vocabulary: v }: { vocabulary: Vocabulary }): JSX.Element {
  return (
    <TableScroll label={frenchSpacing(`${v.name} : ${v.terms.length} valeurs`)}>
      <table>
        <caption class="visually-hidden" safe>
          {frenchSpacing(`${v.name} : ${v.terms.length} valeurs`)}
        </caption>
        <thead>
          <tr>
            <th scope="col">Libellé</th>
            <th scope="col">Code</th>
            <th scope="col">Fiches publiées</th>
            <th scope="col">État</th>
          </tr>
        </thead>
        <tbody>
          {v.terms.map((t) => (
            <tr>
              <td>
                <a href={`/espace/vocabulaires/${v.table}/${encodeURIComponent(t.code)}`} safe>
                  {t.label}
                </a>
              </td>
              <td>
                <code safe>{t.code}</code>
              </td>
              <td safe>{String(t.uses)}</td>
              <td>{t.flagged ? <span class="tag">à vérifier</span> : 'vérifiée'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** Every vocabulary, its values and their use, with a form to add one to each. */
export function VocabulariesPage(props: {
  user: SessionUser;
  csrf: string;
  vocabularies: Vocabularies;
  notice?: string;
  errors?: FormErrors;
  typed?: { table: string; label: string };
}): JSX.Element {
  const errors = props.errors ?? {};
  const flagged = props.vocabularies.flatMap((v) => v.terms.filter((t) => t.flagged)).length;
  return (
    <EspaceLayout
      title={Object.keys(errors).length > 0 ? 'Erreur — Vocabulaires' : 'Vocabulaires'}
      user={props.user}
      csrf={props.csrf}
    >
      <h1>Vocabulaires</h1>
      <Notice message={props.notice} />
      <ErrorSummary errors={errors} />
      <p safe>
        {frenchSpacing(
          flagged === 0
            ? 'Aucune valeur n’attend de vérification.'
            : `${flagged} valeur${flagged > 1 ? 's' : ''} créée${flagged > 1 ? 's' : ''} par un import attend${flagged > 1 ? 'ent' : ''} d’être vérifiée${flagged > 1 ? 's' : ''} : elles sont marquées « à vérifier ».`,
        )}
      </p>
      <nav aria-label="Vocabulaires">
        <ul class="inline-links">
          {props.vocabularies.map((v) => (
            <li>
              <a href={`#${v.table}`} safe>
                {v.name}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {props.vocabularies.map((v) => {
        const field = `label-${v.table}`;
        return (
          <section id={v.table} aria-labelledby={`${v.table}-titre`}>
            <h2 id={`${v.table}-titre`} safe>
              {v.name}
            </h2>
            <TermTable vocabulary={v} />
            <form method="post" action={`/espace/vocabulaires/${v.table}`} class="filter-form" novalidate>
              <CsrfField token={props.csrf} />
              <TextField
                name={field}
                label={`Nouvelle valeur (${v.name.toLowerCase()})`}
                value={props.typed?.table === v.table ? props.typed.label : ''}
                maxlength={LABEL_MAX}
                error={errors[field]}
              />
              <button type="submit" class="secondary">
                Ajouter
              </button>
            </form>
          </section>
        );
      })}
    </EspaceLayout>
  );
}

/** One value of a vocabulary: its label, its old labels, its check. */
export function TermPage(props: {
  user: SessionUser;
  csrf: string;
  table: VocabularyTableName;
  term: Term;
  label: string;
  errors?: FormErrors;
}): JSX.Element {
  const errors = props.errors ?? {};
  const t = props.term;
  const title = `${VOCABULARY_NAMES[props.table]} — ${t.label}`;
  return (
    <EspaceLayout
      title={Object.keys(errors).length > 0 ? `Erreur — ${title}` : title}
      user={props.user}
      csrf={props.csrf}
    >
      <p class="kicker" safe>
        {VOCABULARY_NAMES[props.table]}
      </p>
      <h1 safe>{t.label}</h1>
      <ErrorSummary errors={errors} />
      <p safe>
        {frenchSpacing(
          `Code : ${t.code} · ${t.uses} fiche${t.uses > 1 ? 's' : ''} publiée${t.uses > 1 ? 's' : ''} l’utilise${t.uses > 1 ? 'nt' : ''}.`,
        )}
      </p>
      {t.legacy_labels.length > 0 && (
        <p safe>
          {frenchSpacing(
            `Libellé${t.legacy_labels.length > 1 ? 's' : ''} de l’ancien catalogue, toujours reconnu${t.legacy_labels.length > 1 ? 's' : ''} à l’import et écrit dans l’export texte : ${t.legacy_labels.map(quote).join(', ')}.`,
          )}
        </p>
      )}
      <form method="post" action={`/espace/vocabulaires/${props.table}/${encodeURIComponent(t.code)}`} novalidate>
        <CsrfField token={props.csrf} />
        <TextField
          name="label"
          label="Libellé *"
          value={props.label}
          required
          maxlength={LABEL_MAX}
          hint="Tel que les fiches, le formulaire et les filtres de recherche l’affichent."
          error={errors.label}
        />
        {t.flagged && (
          <div class="field">
            <div class="choice">
              <input type="checkbox" id={fieldId('checked')} name="checked" value="1" checked />
              <label for={fieldId('checked')}>Valeur vérifiée</label>
            </div>
            <FieldNotes
              name="checked"
              hint="Créée par un import parce qu’aucune valeur ne la reconnaissait : vérifiez son libellé."
            />
          </div>
        )}
        <div class="form-actions">
          <button type="submit">Enregistrer</button>
          <a href={`/espace/vocabulaires#${props.table}`}>Annuler</a>
        </div>
      </form>
    </EspaceLayout>
  );
}
