import { longDay } from '../actions/actions.presenter.js';
import type { SessionUser } from '../authorization/authorization.js';
import { fichePath } from '../core/paths.js';
import { frenchSpacing, quote } from '../core/typography.js';
import { formatDate } from '../publishing/publishing.presenter.js';
import { EspaceLayout } from '../web/espace-layout.js';
import { CsrfField, Notice } from '../web/forms.js';
import { Layout } from '../web/layout.js';
import { TableScroll } from '../web/table-scroll.js';
import type { staleQueue } from './reminders.service.js';

/** The page a reminder's link opens: which fiche, and one button that confirms it. */
export function ConfirmPage(props: {
  token: string;
  csrf: string;
  fiche: { id: number; title: string; structureName: string; upToDate: Date };
}): JSX.Element {
  const { fiche } = props;
  return (
    <Layout title="Toujours d’actualité ?" meta={{ noindex: true }}>
      <p class="kicker">Rappel d’actualité</p>
      <h1>{'Cette fiche est-elle toujours d’actualité\u00a0?'}</h1>
      <p>
        <a href={fichePath(fiche.id, fiche.title)} safe>
          {quote(fiche.title)}
        </a>
        <span safe>{` — ${fiche.structureName}, à jour au ${longDay(fiche.upToDate)}.`}</span>
      </p>
      <form method="post" action={`/fiches/actualite/${props.token}`}>
        <CsrfField token={props.csrf} />
        <button type="submit">Toujours d’actualité</button>
      </form>
      <p safe>
        {frenchSpacing(
          'Un clic suffit, sans vous connecter : la fiche sera « À jour au » aujourd’hui. Si elle a changé, modifiez-la plutôt depuis votre espace : sa mise à jour vaut confirmation.',
        )}
      </p>
      <p>
        <a href={`/espace/fiches/${fiche.id}`}>Modifier la fiche</a>
      </p>
    </Layout>
  );
}

/** What a confirmation through the link says, with the way back to the fiche. */
export function ConfirmedPage(props: { fiche: { id: number; title: string; upToDate: Date } }): JSX.Element {
  return (
    <Layout title="Fiche confirmée" meta={{ noindex: true }}>
      <h1>Merci, la fiche est confirmée</h1>
      <Notice message={`${quote(props.fiche.title)} est à jour au ${longDay(props.fiche.upToDate)}.`} />
      <p>
        <a href={fichePath(props.fiche.id, props.fiche.title)}>Voir la fiche</a>
      </p>
    </Layout>
  );
}

/** The reviewers' queue of the fiches whose reminder went unanswered, in their départements. */
export function StaleQueuePage(props: {
  user: SessionUser;
  csrf: string;
  fiches: Awaited<ReturnType<typeof staleQueue>>;
  notice?: string;
}): JSX.Element {
  const count = props.fiches.length;
  return (
    <EspaceLayout title="Fiches à vérifier" user={props.user} csrf={props.csrf}>
      <h1>Fiches à vérifier</h1>
      <Notice message={props.notice} />
      <p safe>
        {frenchSpacing(
          'Les éditeurs de ces fiches n’ont pas répondu au rappel d’actualité : les lecteurs les voient « À vérifier ». Vérifiez-les avec la structure, puis confirmez-les, demandez une mise à jour ou archivez-les.',
        )}
      </p>
      {count === 0 ? (
        <p>Aucune fiche à vérifier dans vos départements.</p>
      ) : (
        <TableScroll label="Fiches à vérifier">
          <table class="stacked">
            <caption safe>{`${count} fiche${count > 1 ? 's' : ''} à vérifier`}</caption>
            <thead>
              <tr>
                <th scope="col">Fiche</th>
                <th scope="col">Structure</th>
                <th scope="col">À jour au</th>
                <th scope="col">Rappel envoyé</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {props.fiches.map((f) => (
                <tr>
                  <td class="stacked-title">
                    <a href={fichePath(f.id, f.title)} safe>
                      {f.title}
                    </a>
                  </td>
                  <td data-label="Structure" safe>{`${f.structure_name} (${f.departement_code})`}</td>
                  <td data-label="À jour au" safe>
                    {longDay(f.fresh_at)}
                  </td>
                  <td data-label="Rappel envoyé">{f.reminded_at ? formatDate(new Date(f.reminded_at)) : '—'}</td>
                  <td data-label="Action">
                    <ConfirmButton actionId={f.id} csrf={props.csrf} back="/espace/a-verifier" />{' '}
                    <a href={`/espace/fiches/${f.id}`}>Ouvrir dans l’espace</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </EspaceLayout>
  );
}

/** « Toujours d’actualité » for a signed-in editor or reviewer; `back` is where the page returns. */
export function ConfirmButton(props: { actionId: number; csrf: string; back: string }): JSX.Element {
  return (
    <form method="post" action={`/espace/fiches/${props.actionId}/actualite`} class="inline-form">
      <CsrfField token={props.csrf} />
      <input type="hidden" name="back" value={props.back} />
      <button type="submit" class="secondary">
        Toujours d’actualité
      </button>
    </form>
  );
}
