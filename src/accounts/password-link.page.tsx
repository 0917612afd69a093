import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { AppError, type FormErrors } from '../core/errors.js';
import { formErrors } from '../web/forms.js';
import { FormBody, FormText, NoQuery, PathSegment, type RequestOf } from '../web/route-schemas.js';
import { sendPage } from '../web/send-page.js';
import type { AccountDeps } from './accounts.http.js';
import { checkLink, setPasswordByLink } from './accounts.service.js';
import { LinkGonePage, SetPasswordPage } from './login.views.js';
import { rotateCsrfSecret, setSessionCookie } from './sessions.http.js';

type Purpose = 'reset' | 'invitation';

const TokenParams = Type.Object({ token: PathSegment });
const linkSchema = { params: TokenParams, querystring: NoQuery };
// `username` is the hidden field that lets a password manager file the password under the address.
const passwordSchema = {
  params: TokenParams,
  body: FormBody({
    username: FormText(320),
    name: FormText(1000),
    password: FormText(1000),
    confirmation: FormText(1000),
  }),
};

/** The links of a password reset and of an invitation: choosing a password, which logs in. */
export function passwordLinkRoutes(deps: AccountDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    for (const [prefix, purpose] of [
      ['/mot-de-passe', 'reset'],
      ['/invitation', 'invitation'],
    ] as const) {
      app.get(`${prefix}/:token`, { schema: linkSchema }, (request, reply) => showLink(deps, purpose, request, reply));
      app.post(`${prefix}/:token`, { schema: passwordSchema }, (request, reply) =>
        setPassword(deps, purpose, request, reply),
      );
    }
  };
}

/** The form that chooses a password, for the account the link names. */
function passwordPage(
  reply: FastifyReply,
  status: number,
  page: { purpose: Purpose; action: string; email: string; name?: string; errors?: FormErrors },
) {
  return sendPage(reply, status, <SetPasswordPage csrf={reply.generateCsrf()} {...page} />);
}

/** The page of a link that expired or already served, when the error is that; else undefined. */
function linkGone(reply: FastifyReply, error: unknown) {
  if (error instanceof AppError && error.code === 'link_expired') {
    return sendPage(reply, 410, <LinkGonePage message={error.message} />);
  }
  return undefined;
}

async function showLink(
  deps: AccountDeps,
  purpose: Purpose,
  request: RequestOf<typeof linkSchema>,
  reply: FastifyReply,
) {
  try {
    const account = await checkLink(deps.db, request.params.token, purpose);
    return passwordPage(reply, 200, { purpose, action: request.url, email: account.email, name: account.name });
  } catch (error) {
    const gone = linkGone(reply, error);
    if (gone) return gone;
    throw error;
  }
}

async function setPassword(
  deps: AccountDeps,
  purpose: Purpose,
  request: RequestOf<typeof passwordSchema>,
  reply: FastifyReply,
) {
  const { password = '', confirmation = '', name } = request.body;
  try {
    const { token } = await setPasswordByLink(deps.db, {
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
    const gone = linkGone(reply, error);
    if (gone) return gone;
    const { status, errors } = formErrors(error, 'password');
    const account = await checkLink(deps.db, request.params.token, purpose);
    return passwordPage(reply, status, { purpose, action: request.url, email: account.email, name, errors });
  }
}
