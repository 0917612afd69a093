import type { SessionUser } from '../authorization/authorization.js';
import type { FormErrors } from '../core/errors.js';
import { structurePath } from '../core/paths.js';
import { frenchSpacing } from '../core/typography.js';
import { EspaceLayout } from '../web/espace-layout.js';
import { CsrfField, ErrorSummary, FieldNotes, fieldId, Notice, Radios, TextField } from '../web/forms.js';
import { TableScroll } from '../web/table-scroll.js';
import { structureKindLabel } from './structures.presenter.js';
import { STRUCTURE_NAME_MAX, type StructureRow } from './structures.service.js';

/** A département the form offers. */
export interface DepartementChoice {
  code: string;
  name: string;
}

function DepartementSelect(props: {
  choices: DepartementChoice[];
  value: string;
  error?: string;
  label: string;
  name: string;
  any?: string;
}): JSX.Element {
  return (
    <div class={props.error ? 'field field-invalid' : 'field'}>
      <label for={fieldId(props.name)} safe>
        {props.label}
      </label>
      <FieldNotes name={props.name} error={props.error} />
      <select id={fieldId(props.name)} name={props.name} aria-invalid={props.error ? 'true' : undefined}>
        {props.any !== undefined && (
          <option value="" safe>
            {props.any}
          </option>
        )}
        {props.choices.map((d) => (
          <option value={d.code} selected={d.code === props.value} safe>
            {`${d.code} — ${d.name}`}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The structures of a page of the list, with their type, département and published fiches. */
function StructureTable(props: { rows: StructureRow[]; total: number }): JSX.Element {
  return (
    <TableScroll label={`${props.total} structure${props.total > 1 ? 's' : ''}`}>
      <table>
        <caption safe>{`${props.total} structure${props.total > 1 ? 's' : ''}`}</caption>
        <thead>
          <tr>
            <th scope="col">Structure</th>
            <th scope="col">Type</th>
            <th scope="col">Département</th>
            <th scope="col">Fiches publiées</th>
            <th scope="col">Coordonnées</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((s) => (
            <tr>
              <td>
                <a href={`/espace/structures/${s.id}/modifier`} safe>
                  {s.name}
                </a>
              </td>
              <td safe>{structureKindLabel(s.kind) ?? '—'}</td>
              <td safe>{`${s.departement_name} (${s.departement_code})`}</td>
              <td>
                <a href={structurePath(s.id, s.name)} safe>
                  {String(s.action_count ?? 0)}
                </a>
              </td>
              <td>
                <a href={`/espace/structures/${s.id}/coordonnees`}>
                  {s.commune_name || s.phone || s.has_contact_email ? 'Modifier' : 'À compléter'}
                  <span class="visually-hidden" safe>{`\u00a0: ${s.name}`}</span>
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** The structures a reviewer manages (an admin: all), with a filter by name and département. */
export function StructureListPage(props: {
  user: SessionUser;
  csrf: string;
  rows: StructureRow[];
  total: number;
  page: number;
  pageCount: number;
  q: string;
  departement: string;
  departements: DepartementChoice[];
  notice?: string;
}): JSX.Element {
  const href = (page: number) => {
    const params = new URLSearchParams({ q: props.q, departement: props.departement, page: String(page) });
    return `/espace/structures?${params}`;
  };
  return (
    <EspaceLayout title="Structures" user={props.user} csrf={props.csrf}>
      <h1>Structures</h1>
      <Notice message={props.notice} />
      <p>
        <a href="/espace/structures/nouvelle" class="button-link">
          Nouvelle structure
        </a>
      </p>
      <form method="get" action="/espace/structures" class="filter-form">
        <TextField name="q" label="Nom contenant" value={props.q} />
        {props.departements.length > 1 && (
          <DepartementSelect
            name="departement"
            label="Département"
            choices={props.departements}
            value={props.departement}
            any="Tous vos départements"
          />
        )}
        <button type="submit" class="secondary">
          Filtrer
        </button>
      </form>
      {props.rows.length === 0 ? (
        <p>Aucune structure ne correspond.</p>
      ) : (
        <StructureTable rows={props.rows} total={props.total} />
      )}
      {props.pageCount > 1 && (
        <nav class="pagination" aria-label="Pages de structures">
          <ul>
            {props.page > 1 && (
              <li>
                <a href={href(props.page - 1)} rel="prev">
                  ‹ Précédente
                </a>
              </li>
            )}
            <li>
              <span safe>{`Page ${props.page} sur ${props.pageCount}`}</span>
            </li>
            {props.page < props.pageCount && (
              <li>
                <a href={href(props.page + 1)} rel="next">
                  Suivante ›
                </a>
              </li>
            )}
          </ul>
        </nav>
      )}
    </EspaceLayout>
  );
}

const KIND_CHOICES = [
  { code: 'centre_social', label: 'Centre social' },
  { code: 'evs', label: 'Espace de vie sociale' },
];

/** The form of a new structure or of a structure's details. */
export function StructureFormPage(props: {
  user: SessionUser;
  csrf: string;
  title: string;
  action: string;
  values: { name: string; departementCode: string; kind: string };
  departements: DepartementChoice[];
  errors?: FormErrors;
}): JSX.Element {
  const errors = props.errors ?? {};
  return (
    <EspaceLayout
      title={Object.keys(errors).length > 0 ? `Erreur — ${props.title}` : props.title}
      user={props.user}
      csrf={props.csrf}
    >
      <h1 safe>{props.title}</h1>
      <ErrorSummary errors={errors} />
      <form method="post" action={props.action} novalidate>
        <CsrfField token={props.csrf} />
        <TextField
          name="name"
          label="Nom de la structure *"
          value={props.values.name}
          required
          maxlength={STRUCTURE_NAME_MAX}
          hint={frenchSpacing(
            'Tel que la structure se présente : « Centre social La Passerelle ». Les fiches l’affichent et la recherche le trouve.',
          )}
          error={errors.name}
        />
        <DepartementSelect
          name="departement"
          label="Département *"
          choices={props.departements}
          value={props.values.departementCode}
          error={errors.departement}
        />
        <Radios
          name="kind"
          legend="Type de structure"
          choices={KIND_CHOICES}
          value={props.values.kind || null}
          optional
          error={errors.kind}
        />
        <div class="form-actions">
          <button type="submit">Enregistrer</button>
          <a href="/espace/structures">Annuler</a>
        </div>
      </form>
    </EspaceLayout>
  );
}
