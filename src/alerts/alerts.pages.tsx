import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { requireLogin, userOf } from '../accounts/sessions.http.js';
import type { SessionUser } from '../authorization/authorization.js';
import type { FormErrors } from '../core/errors.js';
import type { Db } from '../db/database.js';
import type { Mailer } from '../mail/mailer.js';
import type { SearchRequest } from '../search/search.model.js';
import { searchHref, searchRequestOf } from '../search/search.params.js';
import { SearchPageQuerystring, searchScopeProperties, toSearchRequest } from '../search/search.schema.js';
import { formErrors } from '../web/forms.js';
import { ButtonBody, FormBody, FormText, NoQuery, PageQuery, type RequestOf } from '../web/route-schemas.js';
import { sendPage } from '../web/send-page.js';
import {
  alertOfUnsubscribeLink,
  confirmAlert,
  deleteUserAlert,
  describeAlertSearch,
  listUserAlerts,
  saveSearch,
  unsubscribe,
} from './alerts.service.js';
import { AlertMessagePage, AlertsPage, NewAlertPage, UnsubscribePage } from './alerts.views.js';

const AlertsQuery = PageQuery({ supprimee: Type.Optional(Type.String({ maxLength: 10 })) });
// What a mail client sends for a one-click unsubscription (RFC 8058), or a browser's button.
const UnsubscribeBody = FormBody({ 'List-Unsubscribe': FormText(40) });

const NewAlertBody = Type.Object({
  ...searchScopeProperties,
  _csrf: Type.Optional(Type.String()),
  email: Type.Optional(Type.String({ maxLength: 300 })),
  frequency: Type.Optional(Type.String({ maxLength: 20 })),
});
const TokenParams = Type.Object({ token: Type.String({ maxLength: 100 }) });
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

const newSchema = { querystring: SearchPageQuerystring };
const saveSchema = { body: NewAlertBody };
const linkSchema = { params: TokenParams, querystring: NoQuery };
const unsubscribeSchema = { params: TokenParams, body: UnsubscribeBody };
const listSchema = { querystring: AlertsQuery };
const deleteSchema = { params: IdParams, body: ButtonBody };

/** What the alert pages work with. */
interface AlertDeps {
  db: Db;
  mailer: Mailer;
  publicUrl: string;
}

/** Saved searches with e-mail alerts: creating one, confirming it, leaving it, a user's list. */
export function alertPages(db: Db, mailer: Mailer, publicUrl: string): FastifyPluginAsync {
  const deps: AlertDeps = { db, mailer, publicUrl };
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/alertes/nouvelle', { schema: newSchema }, (request, reply) =>
      newAlertPage(deps, reply, request.user, toSearchRequest(request.query), 200),
    );
    app.post('/alertes', { schema: saveSchema }, (request, reply) => save(deps, request, reply));
    app.get('/alertes/confirmer/:token', { schema: linkSchema }, (request, reply) => confirm(deps, request, reply));
    app.get('/alertes/desabonner/:token', { schema: linkSchema }, (request, reply) =>
      showUnsubscribe(deps, request, reply),
    );
    // The link is the proof; mail clients post here without a form (RFC 8058 one-click).
    app.post(
      '/alertes/desabonner/:token',
      { schema: unsubscribeSchema, config: { csrf: false } },
      async (request, reply) => {
        await unsubscribe(db, request.params.token);
        return sendPage(
          reply,
          200,
          <AlertMessagePage title="Désabonnement confirmé" message="Vous ne recevrez plus cette alerte." />,
        );
      },
    );
    app.register(async (own) => {
      const mine = own.withTypeProvider<TypeBoxTypeProvider>();
      mine.addHook('preHandler', requireLogin);
      mine.get('/alertes', { schema: listSchema }, (request, reply) => showOwnAlerts(deps, request, reply));
      mine.post('/alertes/:id/supprimer', { schema: deleteSchema }, async (request, reply) => {
        await deleteUserAlert(db, userOf(request), request.params.id);
        return reply.redirect('/alertes?supprimee', 303);
      });
    });
  };
}

async function describeSaved(deps: AlertDeps, saved: { query: string }) {
  return (await describeAlertSearch(deps.db, searchRequestOf(saved.query))).description;
}

/** The form that saves a search, empty or as it was sent with its errors. */
async function newAlertPage(
  deps: AlertDeps,
  reply: FastifyReply,
  user: SessionUser | null,
  search: SearchRequest,
  status: number,
  sent: { email?: string; frequency?: string; errors?: FormErrors } = {},
) {
  const { counts, description } = await describeAlertSearch(deps.db, search);
  return sendPage(
    reply,
    status,
    <NewAlertPage
      csrf={reply.generateCsrf()}
      description={description}
      total={counts.total}
      q={counts.q}
      filters={counts.filters}
      signedInAs={user?.email}
      {...sent}
    />,
  );
}

async function save(deps: AlertDeps, request: RequestOf<typeof saveSchema>, reply: FastifyReply) {
  const { q, filters } = toSearchRequest(request.body);
  const { email, frequency = '' } = request.body;
  try {
    const saved = await saveSearch(deps.db, deps.mailer, deps.publicUrl, {
      search: { q, filters },
      frequency,
      email,
      user: request.user,
      ip: request.ip,
    });
    const { description } = await describeAlertSearch(deps.db, { q, filters });
    return sendPage(
      reply,
      200,
      saved.confirmed ? (
        <AlertMessagePage
          title="Alerte créée"
          message="Alerte créée. Vous la retrouvez dans « Mes alertes »."
          description={description}
        />
      ) : (
        <AlertMessagePage
          title="Confirmez votre alerte"
          message={`Un e-mail vient d’être envoyé à ${email?.trim()} : ouvrez le lien qu’il contient pour activer l’alerte.`}
          description={description}
        />
      ),
    );
  } catch (error) {
    const { status, errors } = formErrors(error, 'email');
    return newAlertPage(deps, reply, request.user, { q, filters }, status, { email, frequency, errors });
  }
}

async function confirm(deps: AlertDeps, request: RequestOf<typeof linkSchema>, reply: FastifyReply) {
  const description = await describeSaved(deps, await confirmAlert(deps.db, request.params.token));
  return sendPage(
    reply,
    200,
    <AlertMessagePage
      title="Alerte activée"
      message="Alerte activée : vous recevrez les nouvelles fiches de cette recherche."
      description={description}
    />,
  );
}

async function showUnsubscribe(deps: AlertDeps, request: RequestOf<typeof linkSchema>, reply: FastifyReply) {
  const description = await describeSaved(deps, await alertOfUnsubscribeLink(deps.db, request.params.token));
  return sendPage(
    reply,
    200,
    <UnsubscribePage description={description} action={`/alertes/desabonner/${request.params.token}`} />,
  );
}

async function showOwnAlerts(deps: AlertDeps, request: RequestOf<typeof listSchema>, reply: FastifyReply) {
  const alerts = (await listUserAlerts(deps.db, userOf(request))).map(({ search, ...alert }) => ({
    ...alert,
    searchHref: searchHref('/actions', { q: search.q ?? '', page: 1, filters: search.filters ?? {} }),
  }));
  const notice = request.query.supprimee !== undefined ? 'Alerte supprimée.' : undefined;
  return sendPage(reply, 200, <AlertsPage alerts={alerts} csrf={reply.generateCsrf()} notice={notice} />);
}
