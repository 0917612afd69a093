import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireLogin, rotateCsrfSecret, setSessionCookie, userOf } from '../accounts/sessions.http.js';
import type { SessionUser } from '../authorization/authorization.js';
import { AppError } from '../core/errors.js';
import { safeReturnPath } from '../core/paths.js';
import type { Db } from '../db/database.js';
import { loadReferenceIndex } from '../vocabularies/vocabularies.service.js';
import { statusOf } from '../web/errors.js';
import { formErrors } from '../web/forms.js';
import {
  ButtonBody,
  FormBody,
  FormText,
  NoticeQuery,
  PageQuery,
  PathSegment,
  type RequestOf,
} from '../web/route-schemas.js';
import { sendPage } from '../web/send-page.js';
import { allowDomain, type DomainForm, domainsFor, forbidDomain } from './domains.service.js';
import { type PendingSignIn, type ProConnectClient, signInRefused } from './proconnect.client.js';
import { signInWithProConnect } from './proconnect.service.js';
import { DomainsPage, ProConnectErrorPage } from './proconnect.views.js';

/** The signed cookie that carries the state, nonce and PKCE verifier to the return page. */
const PENDING_COOKIE = 'essaim_proconnect';
const PENDING_PATH = '/connexion/proconnect';

const StartQuery = PageQuery({ suite: Type.Optional(Type.String({ maxLength: 500 })) });
const ReturnQuery = PageQuery({
  code: Type.Optional(Type.String({ maxLength: 2000 })),
  state: Type.Optional(Type.String({ maxLength: 500 })),
  iss: Type.Optional(Type.String({ maxLength: 500 })),
  error: Type.Optional(Type.String({ maxLength: 200 })),
  error_description: Type.Optional(Type.String({ maxLength: 2000 })),
});
const DomainBody = FormBody({ domain: FormText(300), role: FormText(40), departements: FormText(500) });

const startSchema = { querystring: StartQuery };
const returnSchema = { querystring: ReturnQuery };
const listSchema = { querystring: NoticeQuery };
const saveSchema = { body: DomainBody };
const removeSchema = { params: Type.Object({ domain: PathSegment }), body: ButtonBody };

/** What the ProConnect pages work with; `client` is absent when ProConnect is not configured. */
export interface ProConnectDeps {
  db: Db;
  client: ProConnectClient | undefined;
  publicUrl: string;
}

/** ProConnect sign-in (the way there and back) and the administrators' page of its domains. */
export function proConnectPages(deps: ProConnectDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    if (deps.client) {
      const client = deps.client;
      app.get(PENDING_PATH, { schema: startSchema }, (request, reply) => start(client, request, reply));
      app.get(`${PENDING_PATH}/retour`, { schema: returnSchema }, (request, reply) =>
        comeBack(deps, client, request, reply),
      );
    }
    app.get('/espace/proconnect', { schema: listSchema, preHandler: requireLogin }, async (request, reply) =>
      renderDomains(deps, reply, userOf(request), 200, { saved: request.query.info === 'enregistre' }),
    );
    app.post('/espace/proconnect', { schema: saveSchema, preHandler: requireLogin }, (request, reply) =>
      save(deps, request, reply),
    );
    app.post(
      '/espace/proconnect/:domain/retirer',
      { schema: removeSchema, preHandler: requireLogin },
      async (request, reply) => {
        await forbidDomain(deps.db, userOf(request), request.params.domain);
        return reply.redirect('/espace/proconnect', 303);
      },
    );
  };
}

async function start(client: ProConnectClient, request: RequestOf<typeof startSchema>, reply: FastifyReply) {
  const { url, pending } = await client.start(safeReturnPath(request.query.suite, '/espace'));
  // Ten minutes to sign in at the provider; Lax, since the way back is a top-level navigation.
  reply.setCookie(PENDING_COOKIE, JSON.stringify(pending), {
    path: PENDING_PATH,
    httpOnly: true,
    sameSite: 'lax',
    secure: 'auto',
    signed: true,
    maxAge: 600,
  });
  return reply.redirect(url, 303);
}

function pendingOf(request: FastifyRequest): PendingSignIn {
  const raw = request.cookies[PENDING_COOKIE];
  const unsigned = raw ? request.unsignCookie(raw) : null;
  if (!unsigned?.valid || !unsigned.value) {
    throw signInRefused('la demande a expiré ou ne vient pas de ce navigateur. Recommencez la connexion.');
  }
  return JSON.parse(unsigned.value) as PendingSignIn;
}

async function comeBack(
  deps: ProConnectDeps,
  client: ProConnectClient,
  request: RequestOf<typeof returnSchema>,
  reply: FastifyReply,
) {
  // The cookie serves once, whatever happens next.
  reply.clearCookie(PENDING_COOKIE, { path: PENDING_PATH });
  try {
    const pending = pendingOf(request);
    if (request.query.error) {
      throw signInRefused(
        request.query.error === 'access_denied' ? 'vous avez annulé la connexion.' : 'ProConnect a refusé la demande.',
      );
    }
    const identity = await client.finish(new URL(request.url, deps.publicUrl), pending);
    const { token } = await signInWithProConnect(deps.db, identity);
    setSessionCookie(reply, token);
    rotateCsrfSecret(reply);
    return reply.redirect(pending.next, 303);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    request.log.info({ reason: error.message }, 'ProConnect sign-in refused');
    return sendPage(reply, statusOf(error), <ProConnectErrorPage message={error.message} />);
  }
}

async function renderDomains(
  deps: ProConnectDeps,
  reply: FastifyReply,
  user: SessionUser,
  status: number,
  extra: { form?: DomainForm; errors?: Record<string, string>; saved?: boolean },
) {
  const [domains, { departements }] = await Promise.all([domainsFor(deps.db, user), loadReferenceIndex(deps.db)]);
  const roleOf = (codes: string[]) =>
    codes.length === 0
      ? 'Aucun rôle'
      : `Relecture\u00a0: ${codes.map((c) => `${departements.get(c)?.name ?? c} (${c})`).join(', ')}`;
  return sendPage(
    reply,
    status,
    <DomainsPage
      user={user}
      csrf={reply.generateCsrf()}
      enabled={deps.client !== undefined}
      domains={domains.map((d) => ({
        domain: d.domain,
        role: roleOf(d.role === 'reviewer' ? d.departement_codes : []),
      }))}
      {...extra}
    />,
  );
}

async function save(deps: ProConnectDeps, request: RequestOf<typeof saveSchema>, reply: FastifyReply) {
  const user = userOf(request);
  try {
    await allowDomain(deps.db, user, request.body);
    return reply.redirect('/espace/proconnect?info=enregistre', 303);
  } catch (error) {
    const { status, errors } = formErrors(error, 'domain');
    return renderDomains(deps, reply, user, status, { form: request.body, errors });
  }
}
