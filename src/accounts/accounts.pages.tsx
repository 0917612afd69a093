import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { can, reviewsAnywhere, type SessionUser } from '../authorization/authorization.js';
import type { Config } from '../config.js';
import { AppError, type FormErrors } from '../core/errors.js';
import { safeReturnPath, structurePath } from '../core/paths.js';
import type { Db } from '../db/database.js';
import type { Background } from '../jobs/background.js';
import type { Mailer } from '../mail/mailer.js';
import { listStructures, listStructuresByIds } from '../structures/structures.repository.js';
import { loadReferenceIndex } from '../vocabularies/vocabularies.service.js';
import { formErrors } from '../web/forms.js';
import { ButtonBody, FormBody, FormText, NoQuery, PageQuery, PathSegment } from '../web/route-schemas.js';
import { sendPage } from '../web/send-page.js';
import { listUsers } from './accounts.repository.js';
import {
  checkLink,
  type InvitationInput,
  inviteUser,
  logIn,
  logOut,
  requestPasswordReset,
  setPasswordByLink,
} from './accounts.service.js';
import {
  EspaceHomePage,
  ForgotPasswordPage,
  type InvitationChoices,
  InvitationPage,
  type InvitationValues,
  LinkGonePage,
  LoginPage,
  SetPasswordPage,
  UsersPage,
} from './accounts.views.js';
import {
  clearSessionCookie,
  ensure,
  requireLogin,
  rotateCsrfSecret,
  SESSION_COOKIE,
  setSessionCookie,
  userOf,
} from './sessions.http.js';

const LoginQuery = PageQuery({ suite: Type.Optional(Type.String({ maxLength: 2000 })) });
const LoginForm = FormBody({ email: FormText(320), password: FormText(1000), suite: FormText(2000) });
const EmailForm = FormBody({ email: FormText(320) });
const TokenParams = Type.Object({ token: PathSegment });
// `username` is the hidden field that lets a password manager file the password under the address.
const PasswordForm = FormBody({
  username: FormText(320),
  name: FormText(1000),
  password: FormText(1000),
  confirmation: FormText(1000),
});
const InvitationForm = FormBody({
  email: FormText(320),
  name: FormText(1000),
  role: FormText(40),
  structure: FormText(40),
  departement: FormText(40),
});

/** Where to go after logging in: only a path of this site, never another site. */
function safeNext(next: string | undefined): string {
  return safeReturnPath(next, '/espace');
}

/** The login, logout, password and invitation pages, and the home of the contributors' space. */
export function accountPages(
  db: Db,
  mailer: Mailer,
  background: Background,
  config: Pick<Config, 'publicUrl'>,
): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/connexion', { schema: { querystring: LoginQuery } }, async (request, reply) => {
      if (request.user) return reply.redirect(safeNext(request.query.suite), 303);
      return sendPage(reply, 200, <LoginPage csrf={reply.generateCsrf()} next={request.query.suite} />);
    });

    app.post('/connexion', { schema: { body: LoginForm } }, async (request, reply) => {
      const { email = '', password = '', suite } = request.body;
      try {
        const { token } = await logIn(db, { email, password, ip: request.ip });
        setSessionCookie(reply, token);
        rotateCsrfSecret(reply);
        return reply.redirect(safeNext(suite), 303);
      } catch (error) {
        const { status, errors } = formErrors(error, 'email');
        return sendPage(
          reply,
          status,
          <LoginPage csrf={reply.generateCsrf()} email={email} next={suite} errors={errors} />,
        );
      }
    });

    app.post('/deconnexion', { schema: { body: ButtonBody } }, async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await logOut(db, token);
      clearSessionCookie(reply);
      return reply.redirect('/', 303);
    });

    app.get('/mot-de-passe-oublie', { schema: { querystring: NoQuery } }, async (_request, reply) =>
      sendPage(reply, 200, <ForgotPasswordPage csrf={reply.generateCsrf()} />),
    );

    app.post('/mot-de-passe-oublie', { schema: { body: EmailForm } }, async (request, reply) => {
      const email = request.body.email ?? '';
      try {
        await requestPasswordReset(db, mailer, background, config.publicUrl, { email, ip: request.ip });
        return sendPage(reply, 200, <ForgotPasswordPage csrf={reply.generateCsrf()} sent />);
      } catch (error) {
        const { status, errors } = formErrors(error, 'email');
        return sendPage(
          reply,
          status,
          <ForgotPasswordPage csrf={reply.generateCsrf()} email={email} errors={errors} />,
        );
      }
    });

    for (const [prefix, purpose] of [
      ['/mot-de-passe', 'reset'],
      ['/invitation', 'invitation'],
    ] as const) {
      app.get(`${prefix}/:token`, { schema: { params: TokenParams, querystring: NoQuery } }, async (request, reply) => {
        try {
          const account = await checkLink(db, request.params.token, purpose);
          return sendPage(
            reply,
            200,
            <SetPasswordPage
              csrf={reply.generateCsrf()}
              purpose={purpose}
              action={request.url}
              email={account.email}
              name={account.name}
            />,
          );
        } catch (error) {
          if (error instanceof AppError && error.code === 'link_expired') {
            return sendPage(reply, 410, <LinkGonePage message={error.message} />);
          }
          throw error;
        }
      });

      app.post(`${prefix}/:token`, { schema: { params: TokenParams, body: PasswordForm } }, async (request, reply) => {
        const { password = '', confirmation = '', name } = request.body;
        try {
          const { token } = await setPasswordByLink(db, {
            token: request.params.token,
            purpose,
            password,
            confirmation,
            name: purpose === 'invitation' ? (name ?? '') : undefined,
          });
          setSessionCookie(reply, token);
          rotateCsrfSecret(reply);
          return reply.redirect('/espace', 303);
        } catch (error) {
          if (error instanceof AppError && error.code === 'link_expired') {
            return sendPage(reply, 410, <LinkGonePage message={error.message} />);
          }
          const { status, errors } = formErrors(error, 'password');
          const account = await checkLink(db, request.params.token, purpose);
          return sendPage(
            reply,
            status,
            <SetPasswordPage
              csrf={reply.generateCsrf()}
              purpose={purpose}
              action={request.url}
              email={account.email}
              name={name}
              errors={errors}
            />,
          );
        }
      });
    }

    app.register(espacePages(db, mailer, config));
  };
}

function espacePages(db: Db, mailer: Mailer, config: Pick<Config, 'publicUrl'>): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.addHook('preHandler', requireLogin);

    app.get('/espace', { schema: { querystring: NoQuery } }, async (request, reply) => {
      const user = userOf(request);
      const [structures, { departements }] = await Promise.all([
        listStructuresByIds(db, user.structureIds),
        loadReferenceIndex(db),
      ]);
      return sendPage(
        reply,
        200,
        <EspaceHomePage
          user={user}
          csrf={reply.generateCsrf()}
          structures={structures.map((s) => ({
            id: String(s.id),
            label: `${s.name} (${s.departement_code})`,
            href: structurePath(s.id, s.name),
          }))}
          departements={user.departementCodes.map((code) => ({
            id: code,
            label: `${departements.get(code)?.name ?? code} (${code})`,
          }))}
          canInvite={reviewsAnywhere(user)}
        />,
      );
    });

    app.get('/espace/utilisateurs', { schema: { querystring: NoQuery } }, async (request, reply) => {
      const user = userOf(request);
      ensure(can(user, 'admin:manage', null), 'La liste des utilisateurs est réservée aux administrateurs.');
      const [users, { departements }] = await Promise.all([listUsers(db), loadReferenceIndex(db)]);
      const structureIds = [...new Set(users.flatMap((u) => u.structure_ids))];
      const structureNames = new Map((await listStructuresByIds(db, structureIds)).map((s) => [s.id, s.name]));
      const rows = users.map((u) => ({
        email: u.email,
        name: u.name,
        roles: [
          ...(u.is_admin ? ['Administration'] : []),
          ...u.structure_ids.map((id) => `Rédaction : ${structureNames.get(id) ?? `structure n° ${id}`}`),
          ...u.departement_codes.map((c) => `Relecture : ${departements.get(c)?.name ?? c} (${c})`),
        ],
        state: u.disabled_at ? 'Désactivé' : u.password_hash ? 'Actif' : 'Invitation en attente',
      }));
      return sendPage(reply, 200, <UsersPage user={user} csrf={reply.generateCsrf()} users={rows} />);
    });

    const invitationChoices = async (user: SessionUser): Promise<InvitationChoices> => {
      const { departements } = await loadReferenceIndex(db);
      const codes = user.isAdmin ? undefined : user.departementCodes;
      const structures = await listStructures(db, { departementCodes: codes }, 100_000, 0);
      const groups = new Map<string, InvitationChoices['structures'][number]>();
      for (const s of [...structures].sort((a, b) => a.departement_code.localeCompare(b.departement_code))) {
        const group = `${s.departement_name} (${s.departement_code})`;
        if (!groups.has(group)) groups.set(group, { group, options: [] });
        groups.get(group)?.options.push({ id: String(s.id), label: s.name });
      }
      return {
        roles: user.isAdmin ? ['editor', 'reviewer', 'admin'] : ['editor'],
        structures: [...groups.values()],
        departements: user.isAdmin
          ? [...departements.values()].map((d) => ({ id: d.code, label: `${d.code} — ${d.name}` }))
          : [],
      };
    };

    const mayInvite = (user: SessionUser) => {
      ensure(reviewsAnywhere(user), 'Inviter est réservé aux relecteurs et aux administrateurs.');
    };

    app.get('/espace/invitations/nouvelle', { schema: { querystring: NoQuery } }, async (request, reply) => {
      const user = userOf(request);
      mayInvite(user);
      return sendPage(
        reply,
        200,
        <InvitationPage user={user} csrf={reply.generateCsrf()} choices={await invitationChoices(user)} />,
      );
    });

    app.post('/espace/invitations', { schema: { body: InvitationForm } }, async (request, reply) => {
      const user = userOf(request);
      mayInvite(user);
      const values: InvitationValues = {
        email: request.body.email ?? '',
        name: request.body.name ?? '',
        role: request.body.role,
        structure: request.body.structure,
        departement: request.body.departement,
      };
      const errors: FormErrors = {};
      const input: InvitationInput = { email: values.email ?? '', name: values.name };
      if (values.role === 'editor') {
        if (values.structure && /^\d+$/.test(values.structure)) input.structureIds = [Number(values.structure)];
        else errors.structure = 'Choisissez la structure dont la personne rédigera les fiches.';
      } else if (values.role === 'reviewer') {
        if (values.departement) input.departementCodes = [values.departement];
        else errors.departement = 'Choisissez le département dont la personne relira les fiches.';
      } else if (values.role === 'admin') {
        input.isAdmin = true;
      } else {
        errors.role = 'Choisissez un rôle.';
      }
      const render = async (status: number, pageErrors: FormErrors, sent?: { email: string }) =>
        sendPage(
          reply,
          status,
          <InvitationPage
            user={user}
            csrf={reply.generateCsrf()}
            choices={await invitationChoices(user)}
            values={sent ? undefined : values}
            errors={pageErrors}
            sent={sent}
          />,
        );
      if (Object.keys(errors).length > 0) return render(400, errors);
      try {
        await inviteUser(db, mailer, config.publicUrl, user, input);
        return render(200, {}, { email: (values.email ?? '').trim().toLowerCase() });
      } catch (error) {
        const { status, errors: refused } = formErrors(error, 'email');
        return render(status, refused);
      }
    });
  };
}
