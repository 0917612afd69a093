import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { type Static, Type } from 'typebox';
import { requireLogin, userOf } from '../accounts/sessions.http.js';
import type { SessionUser } from '../authorization/authorization.js';
import type { FormErrors } from '../core/errors.js';
import type { Db } from '../db/database.js';
import type { Mailer } from '../mail/mailer.js';
import { describeSearch, searchHref, searchRequestOf } from '../search/search.params.js';
import { SearchPageQuerystring, searchScopeProperties, toSearchRequest } from '../search/search.schema.js';
import { countResults, type SearchRequest } from '../search/search.service.js';
import { formErrors } from '../web/forms.js';
import { ButtonBody, NoQuery, PageQuery } from '../web/route-schemas.js';
import { sendPage } from '../web/send-page.js';
import { listUserSavedSearches, type SavedSearchRow } from './alerts.repository.js';
import { alertOfUnsubscribeLink, confirmAlert, deleteUserAlert, saveSearch, unsubscribe } from './alerts.service.js';
import { AlertMessagePage, AlertsPage, NewAlertPage, UnsubscribePage } from './alerts.views.js';

const AlertsQuery = PageQuery({ supprimee: Type.Optional(Type.String({ maxLength: 10 })) });
// What a mail client sends for a one-click unsubscription (RFC 8058), or a browser's button.
const UnsubscribeBody = Type.Object(
  {
    'List-Unsubscribe': Type.Optional(Type.String({ maxLength: 40 })),
    _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

const NewAlertBody = Type.Object({
  ...searchScopeProperties,
  _csrf: Type.Optional(Type.String()),
  email: Type.Optional(Type.String({ maxLength: 300 })),
  frequency: Type.Optional(Type.String({ maxLength: 20 })),
});
const TokenParams = Type.Object({ token: Type.String({ maxLength: 100 }) });
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

async function describe(db: Db, request: SearchRequest) {
  const counts = await countResults(db, request);
  return { counts, description: describeSearch(counts.q, counts.counts) };
}

/** Saved searches with e-mail alerts: creating one, confirming it, leaving it, a user's list. */
export function alertPages(db: Db, mailer: Mailer, publicUrl: string): FastifyPluginAsync {
  const describeSaved = async (saved: SavedSearchRow) => (await describe(db, searchRequestOf(saved.query))).description;

  // The form that saves a search, empty or as it was sent with its errors.
  const newAlertPage = async (
    reply: FastifyReply,
    user: SessionUser | null,
    search: SearchRequest,
    status: number,
    sent: { email?: string; frequency?: string; errors?: FormErrors } = {},
  ) => {
    const { counts, description } = await describe(db, search);
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
  };

  return async (app) => {
    app.get<{ Querystring: SearchPageQuerystring }>(
      '/alertes/nouvelle',
      { schema: { querystring: SearchPageQuerystring } },
      async (request, reply) => newAlertPage(reply, request.user, toSearchRequest(request.query), 200),
    );

    app.post<{ Body: Static<typeof NewAlertBody> }>(
      '/alertes',
      { schema: { body: NewAlertBody } },
      async (request, reply) => {
        const { q, filters } = toSearchRequest(request.body);
        const { email, frequency = '' } = request.body;
        try {
          const saved = await saveSearch(db, mailer, publicUrl, {
            search: { q, filters },
            frequency,
            email,
            user: request.user,
            ip: request.ip,
          });
          const { description } = await describe(db, { q, filters });
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
          return newAlertPage(reply, request.user, { q, filters }, status, { email, frequency, errors });
        }
      },
    );

    app.get<{ Params: { token: string } }>(
      '/alertes/confirmer/:token',
      { schema: { params: TokenParams, querystring: NoQuery } },
      async (request, reply) => {
        const description = await describeSaved(await confirmAlert(db, request.params.token));
        return sendPage(
          reply,
          200,
          <AlertMessagePage
            title="Alerte activée"
            message="Alerte activée : vous recevrez les nouvelles fiches de cette recherche."
            description={description}
          />,
        );
      },
    );

    app.get<{ Params: { token: string } }>(
      '/alertes/desabonner/:token',
      { schema: { params: TokenParams, querystring: NoQuery } },
      async (request, reply) => {
        const description = await describeSaved(await alertOfUnsubscribeLink(db, request.params.token));
        return sendPage(
          reply,
          200,
          <UnsubscribePage description={description} action={`/alertes/desabonner/${request.params.token}`} />,
        );
      },
    );

    // The link is the proof; mail clients post here without a form (RFC 8058 one-click).
    app.post<{ Params: { token: string } }>(
      '/alertes/desabonner/:token',
      { schema: { params: TokenParams, body: UnsubscribeBody }, config: { csrf: false } },
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
      own.addHook('preHandler', requireLogin);

      own.get<{ Querystring: { supprimee?: string } }>(
        '/alertes',
        { schema: { querystring: AlertsQuery } },
        async (request, reply) => {
          const saved = await listUserSavedSearches(db, userOf(request).id);
          const alerts = await Promise.all(
            saved.map(async (s) => {
              const search = searchRequestOf(s.query);
              return {
                id: s.id,
                description: (await describe(db, search)).description,
                frequency: s.frequency,
                searchHref: searchHref('/actions', { q: search.q ?? '', page: 1, filters: search.filters ?? {} }),
                confirmed: s.confirmed_at !== null,
              };
            }),
          );
          const notice = request.query.supprimee !== undefined ? 'Alerte supprimée.' : undefined;
          return sendPage(reply, 200, <AlertsPage alerts={alerts} csrf={reply.generateCsrf()} notice={notice} />);
        },
      );

      own.post<{ Params: { id: number } }>(
        '/alertes/:id/supprimer',
        { schema: { params: IdParams, body: ButtonBody } },
        async (request, reply) => {
          await deleteUserAlert(db, userOf(request), request.params.id);
          return reply.redirect('/alertes?supprimee', 303);
        },
      );
    });
  };
}
