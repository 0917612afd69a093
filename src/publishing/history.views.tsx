import { escapeHtml } from '@kitajs/html';
import type { SessionUser } from '../authorization/authorization.js';
import { EspaceLayout } from '../web/espace-layout.js';
import { TableScroll } from '../web/table-scroll.js';
import type { DiffSide, FieldChange, HistoryRow } from './publishing.presenter.js';
import { formatDate } from './publishing.presenter.js';

// Removed words struck out, added ones underlined, each announced to screen readers too.
function DiffText(props: { side: DiffSide; mark: 'del' | 'ins' }): JSX.Element {
  return (
    <td class="free-text">
      {props.side.map((piece) => {
        if (!piece.changed) return escapeHtml(piece.text);
        const label = props.mark === 'del' ? 'supprimé\u00a0: ' : 'ajouté\u00a0: ';
        const inner = (
          <>
            <span class="visually-hidden">{label}</span>
            <span safe>{piece.text}</span>
          </>
        );
        return props.mark === 'del' ? <del>{inner}</del> : <ins>{inner}</ins>;
      })}
    </td>
  );
}

/** Each changed field with its old and new value, word by word. */
export function ChangesTable(props: {
  changes: FieldChange[];
  caption: string;
  visibleCaption?: boolean;
}): JSX.Element {
  return (
    <TableScroll label={props.caption}>
      <table class="diff">
        <caption class={props.visibleCaption ? undefined : 'visually-hidden'} safe>
          {props.caption}
        </caption>
        <thead>
          <tr>
            <th scope="col">Champ</th>
            <th scope="col">Avant</th>
            <th scope="col">Après</th>
          </tr>
        </thead>
        <tbody>
          {props.changes.map((c) => (
            <tr>
              <th scope="row" safe>
                {c.field}
              </th>
              <DiffText side={c.before} mark="del" />
              <DiffText side={c.after} mark="ins" />
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** A fiche's history: who did what, when, with each field's old and new value. */
export function HistoryPage(props: { user: SessionUser; csrf: string; id: number; title: string; rows: HistoryRow[] }) {
  return (
    <EspaceLayout title={`Historique — ${props.title}`} user={props.user} csrf={props.csrf}>
      <p class="kicker">Historique</p>
      <h1 safe>{props.title}</h1>
      <p>
        <a href={`/espace/fiches/${props.id}`}>Retour à la fiche</a>
      </p>
      <ol class="history">
        {props.rows.map((r, i) => (
          <li>
            <h2>
              <span safe>{r.what}</span>
              <span class="meta" safe>{` — ${formatDate(r.at)}, ${r.actor}`}</span>
            </h2>
            {r.comment ? (
              <p class="free-text" safe>
                {r.comment}
              </p>
            ) : (
              ''
            )}
            {r.changes.length > 0 && (
              // Named after its step, newest first: each table's frame is a landmark of its own.
              <ChangesTable
                changes={r.changes}
                caption={`Champs modifiés à l’étape ${props.rows.length - i} (${r.what}, ${r.actor})`}
              />
            )}
          </li>
        ))}
      </ol>
    </EspaceLayout>
  );
}
