import type { Children } from '@kitajs/html';
import type { SessionUser } from '../authorization/authorization.js';
import { EspaceLayout } from '../web/espace-layout.js';
import { Notice } from '../web/forms.js';
import { TableScroll } from '../web/table-scroll.js';
import { formatDate } from './publishing.presenter.js';

/** A row of the lists of fiches in the space. */
export interface WorkRow {
  id: number;
  title: string;
  structureName: string;
  departement: string;
  state: string;
  date: Date | null;
}

function WorkTable(props: { caption: string; rows: WorkRow[]; dateHeading: string; children?: Children }) {
  return (
    <TableScroll label={props.caption}>
      <table class="stacked">
        <caption safe>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Fiche</th>
            <th scope="col">Structure</th>
            <th scope="col">État</th>
            <th scope="col" safe>
              {props.dateHeading}
            </th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              <td class="stacked-title">
                <a href={`/espace/fiches/${r.id}`} safe>
                  {r.title}
                </a>
              </td>
              <td data-label="Structure" safe>{`${r.structureName} (${r.departement})`}</td>
              <td data-label="État" safe>
                {r.state}
              </td>
              <td data-label={props.dateHeading}>{r.date ? formatDate(r.date) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** The fiches of the editor's structures, in every state. */
export function WorkListPage(props: {
  user: SessionUser;
  csrf: string;
  rows: WorkRow[];
  notice?: string;
}): JSX.Element {
  return (
    <EspaceLayout title="Mes fiches" user={props.user} csrf={props.csrf}>
      <h1>Mes fiches</h1>
      <Notice message={props.notice} />
      <p>
        <a href="/espace/fiches/nouvelle" class="button-link">
          Écrire une nouvelle fiche
        </a>
      </p>
      {props.rows.length === 0 ? (
        <p>{'Aucune fiche pour le moment\u00a0: écrivez la première.'}</p>
      ) : (
        <WorkTable
          caption={`${props.rows.length} fiche${props.rows.length > 1 ? 's' : ''}`}
          rows={props.rows}
          dateHeading="Dernière modification"
        />
      )}
    </EspaceLayout>
  );
}

/** The fiches waiting for the reviewer, oldest first. */
export function ReviewQueuePage(props: {
  user: SessionUser;
  csrf: string;
  rows: WorkRow[];
  notice?: string;
}): JSX.Element {
  return (
    <EspaceLayout title="Relecture" user={props.user} csrf={props.csrf}>
      <h1>Fiches à relire</h1>
      <Notice message={props.notice} />
      {props.rows.length === 0 ? (
        <p>Aucune fiche n’attend de relecture dans vos départements.</p>
      ) : (
        <WorkTable
          caption={`${props.rows.length} fiche${props.rows.length > 1 ? 's' : ''} en attente, la plus ancienne d’abord`}
          rows={props.rows}
          dateHeading="Soumise le"
        />
      )}
    </EspaceLayout>
  );
}
