import type { SessionUser } from '../authorization/authorization.js';
import { EspaceLayout } from '../web/espace-layout.js';
import { Notice } from '../web/forms.js';
import { TableScroll } from '../web/table-scroll.js';

/** A structure or département a role applies to, named. */
export interface NamedPlace {
  id: string;
  label: string;
  href?: string;
}

/** The home of the contributors' space: the user's roles and what they lead to. */
export function EspaceHomePage(props: {
  user: SessionUser;
  csrf: string;
  structures: NamedPlace[];
  departements: NamedPlace[];
  canInvite: boolean;
  notice?: string;
}): JSX.Element {
  const { user } = props;
  return (
    <EspaceLayout title="Mon espace" user={user} csrf={props.csrf}>
      <h1>Mon espace</h1>
      <Notice message={props.notice} />
      <h2>Vos rôles</h2>
      <ul>
        {user.isAdmin && <li>Administration du catalogue&#8239;: utilisateurs, vocabulaires, structures.</li>}
        {props.structures.length > 0 && (
          <li>
            Rédaction des fiches de&#8239;:
            <ul>
              {props.structures.map((s) => (
                <li>
                  {s.href ? (
                    <a href={s.href} safe>
                      {s.label}
                    </a>
                  ) : (
                    <span safe>{s.label}</span>
                  )}
                  {' · '}
                  <a href={`/espace/structures/${s.id}/coordonnees`}>
                    Coordonnées<span class="visually-hidden" safe>{` de ${s.label}`}</span>
                  </a>
                </li>
              ))}
            </ul>
          </li>
        )}
        {props.departements.length > 0 && (
          <li>
            Relecture des fiches des départements&#8239;:
            <ul>
              {props.departements.map((d) => (
                <li safe>{d.label}</li>
              ))}
            </ul>
          </li>
        )}
        {!user.isAdmin && props.structures.length === 0 && props.departements.length === 0 && (
          <li>Aucun rôle pour le moment&#8239;: demandez à un administrateur de vous en donner un.</li>
        )}
      </ul>
      {props.canInvite && (
        <p>
          <a href="/espace/invitations/nouvelle">Inviter une personne</a>
        </p>
      )}
    </EspaceLayout>
  );
}

/** The admins' list of users and their roles. */
export function UsersPage(props: {
  user: SessionUser;
  csrf: string;
  users: Array<{ email: string; name: string; roles: string[]; state: string }>;
}): JSX.Element {
  return (
    <EspaceLayout title="Utilisateurs" user={props.user} csrf={props.csrf}>
      <h1>Utilisateurs</h1>
      <p>
        <a href="/espace/invitations/nouvelle">Inviter une personne</a>
      </p>
      <TableScroll label={`${props.users.length} compte${props.users.length > 1 ? 's' : ''}`}>
        <table>
          <caption safe>{`${props.users.length} compte${props.users.length > 1 ? 's' : ''}`}</caption>
          <thead>
            <tr>
              <th scope="col">Adresse</th>
              <th scope="col">Nom</th>
              <th scope="col">Rôles</th>
              <th scope="col">État</th>
            </tr>
          </thead>
          <tbody>
            {props.users.map((u) => (
              <tr>
                <td safe>{u.email}</td>
                <td safe>{u.name}</td>
                <td>
                  <ul class="plain-list">
                    {u.roles.map((r) => (
                      <li safe>{r}</li>
                    ))}
                  </ul>
                </td>
                <td safe>{u.state}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </EspaceLayout>
  );
}
