import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { safeReturnPath } from '../core/paths.js';
import { formErrors } from '../web/forms.js';
import { ButtonBody, FormBody, FormText, NoQuery, PageQuery, type RequestOf } from '../web/route-schemas.js';
import { sendPage } from '../web/send-page.js';
import type { AccountDeps } from './accounts.http.js';
import { logIn, logOut, requestPasswordReset } from './accounts.service.js';
import { ForgotPasswordPage, LoginPage } from './login.views.js';
import { clearSessionCookie, rotateCsrfSecret, SESSION_COOKIE, setSessionCookie } from './sessions.http.js';

const loginPageSchema = { querystring: PageQuery({ suite: Type.Optional(Type.String({ maxLength: 2000 })) }) };
const loginSchema = { body: FormBody({ email: FormText(320), password: FormText(1000), suite: FormText(2000) }) };
const logoutSchema = { body: ButtonBody };
const forgotPageSchema = { querystring: NoQuery };
const forgotSchema = { body: FormBody({ email: FormText(320) }) };

/** Logging in and out, and asking for a new password. */
export function loginRoutes(deps: AccountDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/connexion', { schema: loginPageSchema }, (request, reply) => showLogin(deps, request, reply));
    app.post('/connexion', { schema: loginSchema }, (request, reply) => logInFromForm(deps, request, reply));
    app.post('/deconnexion', { schema: logoutSchema }, (request, reply) => logOutFromButton(deps, request, reply));
    app.get('/mot-de-passe-oublie', { schema: forgotPageSchema }, (_request, reply) =>
      sendPage(reply, 200, <ForgotPasswordPage csrf={reply.generateCsrf()} />),
    );
    app.post('/mot-de-passe-oublie', { schema: forgotSchema }, (request, reply) => askForReset(deps, request, reply));
  };
}

/** Where to go after logging in: only a path of this site, never another site. */
function safeNext(next: string | undefined): string {
  return safeReturnPath(next, '/espace');
}

async function showLogin(deps: AccountDeps, request: RequestOf<typeof loginPageSchema>, reply: FastifyReply) {
  if (request.user) return reply.redirect(safeNext(request.query.suite), 303);
  return sendPage(
    reply,
    200,
    <LoginPage csrf={reply.generateCsrf()} next={request.query.suite} proconnect={deps.proconnect} />,
  );
}

async function logInFromForm(deps: AccountDeps, request: RequestOf<typeof loginSchema>, reply: FastifyReply) {
  const { email = '', password = '', suite } = request.body;
  try {
    const { token } = await logIn(deps.db, { email, password, ip: request.ip });
    setSessionCookie(reply, token);
    rotateCsrfSecret(reply);
    return reply.redirect(safeNext(suite), 303);
  } catch (error) {
    const { status, errors } = formErrors(error, 'email');
    return sendPage(
      reply,
      status,
      <LoginPage csrf={reply.generateCsrf()} email={email} next={suite} errors={errors} proconnect={deps.proconnect} />,
    );
  }
}

async function logOutFromButton(deps: AccountDeps, request: RequestOf<typeof logoutSchema>, reply: FastifyReply) {
  const token = request.cookies[SESSION_COOKIE];
  const { proconnectIdToken } = token ? await logOut(deps.db, token) : { proconnectIdToken: null };
  clearSessionCookie(reply);
  // Signed in through ProConnect: its session ends too, or the next click would reopen ours.
  const provider =
    proconnectIdToken && deps.endProConnectSession
      ? await deps.endProConnectSession(proconnectIdToken).catch(() => null)
      : null;
  return reply.redirect(provider ?? '/', 303);
}

async function askForReset(deps: AccountDeps, request: RequestOf<typeof forgotSchema>, reply: FastifyReply) {
  const email = request.body.email ?? '';
  try {
    await requestPasswordReset(deps.db, deps.mailer, deps.background, deps.publicUrl, { email, ip: request.ip });
    return sendPage(reply, 200, <ForgotPasswordPage csrf={reply.generateCsrf()} sent />);
  } catch (error) {
    const { status, errors } = formErrors(error, 'email');
    return sendPage(reply, status, <ForgotPasswordPage csrf={reply.generateCsrf()} email={email} errors={errors} />);
  }
}
