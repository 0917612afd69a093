import type { Children } from '@kitajs/html';
import { reviewsAnywhere, type SessionUser, writesAnywhere } from '../authorization/authorization.js';
import { queBefore } from '../core/typography.js';
import { CsrfField } from './forms.js';
import { Layout } from './layout.js';

/** The logout button, a form because logging out changes something. */
export function LogoutForm(props: { csrf: string }): JSX.Element {
  return (
    <form method="post" action="/deconnexion" class="inline-form">
      <CsrfField token={props.csrf} />
      <button type="submit" class="secondary">
        Se déconnecter
      </button>
    </form>
  );
}

/** The frame of every page of the contributors' space: who is logged in, the way out. */
export function EspaceLayout(props: { title: string; user: SessionUser; csrf: string; children: Children }) {
  const name = props.user.name || props.user.email;
  return (
    <Layout title={props.title}>
      <div class="espace-bar">
        <p>
          <span safe>{`Connecté en tant ${queBefore(name)}`}</span>
          <strong safe>{name}</strong>
        </p>
        <nav aria-label="Espace contributeurs">
          <ul class="inline-links">
            <li>
              <a href="/espace">Mon espace</a>
            </li>
            <li>
              <a href="/favoris">Mes favoris</a>
            </li>
            <li>
              <a href="/alertes">Mes alertes</a>
            </li>
            {writesAnywhere(props.user) && (
              <>
                <li>
                  <a href="/espace/fiches">Mes fiches</a>
                </li>
                <li>
                  <a href="/espace/fiches/nouvelle">Écrire une fiche</a>
                </li>
              </>
            )}
            {(writesAnywhere(props.user) || reviewsAnywhere(props.user)) && (
              <li>
                <a href="/espace/statistiques">Mes statistiques</a>
              </li>
            )}
            {reviewsAnywhere(props.user) && (
              <>
                <li>
                  <a href="/espace/relecture">Relecture</a>
                </li>
                <li>
                  <a href="/espace/signalements">Signalements</a>
                </li>
                <li>
                  <a href="/espace/a-verifier">À vérifier</a>
                </li>
                <li>
                  <a href="/espace/structures">Structures</a>
                </li>
              </>
            )}
            {props.user.isAdmin && (
              <>
                <li>
                  <a href="/espace/utilisateurs">Utilisateurs</a>
                </li>
                <li>
                  <a href="/espace/vocabulaires">Vocabulaires</a>
                </li>
                <li>
                  <a href="/espace/proconnect">ProConnect</a>
                </li>
              </>
            )}
          </ul>
        </nav>
        <LogoutForm csrf={props.csrf} />
      </div>
      {props.children}
    </Layout>
  );
}
