import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { ensure, requireLogin, userOf } from '../accounts/sessions.http.js';
import { presentFiche } from '../actions/actions.presenter.js';
import { listHistory } from '../actions/actions.repository.js';
import { diffContent, type FicheContent } from '../actions/fiche.js';
import type { FileStorage } from '../attachments/storage.js';
import { can, reviewsAnywhere, type SessionUser } from '../authorization/authorization.js';
import type { Config } from '../config.js';
import { AppError, type FormErrors } from '../core/errors.js';
import { fichePath } from '../core/paths.js';
import type { Db } from '../db/database.js';
import type { Mailer } from '../mail/mailer.js';
import { listStructuresByIds } from '../structures/structures.repository.js';
import { loadReferenceIndex } from '../vocabularies/vocabularies.service.js';
import { statusOf } from '../web/errors.js';
import { ButtonBody, NoQuery, NoticeQuery } from '../web/route-schemas.js';
import { sendPage } from '../web/send-page.js';
import { emptyFicheContent, type FormBody, one, parseFicheForm } from './fiche-form.js';
import { CommentForm, FicheForm, FicheParams, VersionForm } from './publishing.forms.js';
import { fieldLabel, presentFormChoices, presentHistory } from './publishing.presenter.js';
import { listReviewQueue, listStructureWork } from './publishing.repository.js';
import {
  discardWork,
  type Notifier,
  openWorkspace,
  publishFiche,
  requestChanges,
  saveFiche,
  setArchived,
  submitFiche,
  type Workspace,
  workAttachments,
} from './publishing.service.js';
import {
  EditorPage,
  HistoryPage,
  ReviewQueuePage,
  stateLabel,
  WorkListPage,
  type WorkRow,
  WorkspacePage,
} from './publishing.views.js';

// What the space's pages say after a redirect, named in the address so that no state is kept.
const NOTICES: Record<string, string> = {
  enregistree: 'Brouillon enregistré. Il n’est visible que de votre structure et de la relecture.',
  soumise: 'Fiche soumise à relecture : les relecteurs du département sont prévenus par e-mail.',
  renvoyee: 'La structure est prévenue des modifications demandées.',
  publiee: 'Fiche publiée : elle est visible de tous et dans la recherche.',
  archivee: 'Fiche archivée : elle n’est plus publique.',
  restauree: 'Fiche restaurée : elle est de nouveau publique.',
  abandonnee: 'Modifications abandonnées : la fiche publiée reste telle qu’elle était.',
  supprimee: 'Brouillon supprimé.',
};

function parseId(raw: string): number {
  if (!/^\d{1,9}$/.test(raw)) throw new AppError('not_found', 'Cette fiche action n’existe pas, ou plus.');
  return Number(raw);
}

function parseVersion(body: FormBody): number {
  const value = one(body.version);
  return /^\d{1,9}$/.test(value) ? Number(value) : -1;
}

function toRow(r: Awaited<ReturnType<typeof listStructureWork>>[number], date: Date | null): WorkRow {
  return {
    id: r.id,
    title: r.title,
    structureName: r.structure_name,
    departement: r.departement_code,
    state: stateLabel(r.publication, r.state),
    date,
  };
}

/** The editor, the fiches of a structure, the review queue and the history, under /espace. */
export function publishingPages(
  db: Db,
  mailer: Mailer,
  storage: FileStorage,
  config: Pick<Config, 'publicUrl'>,
): FastifyPluginAsync {
  const notifier: Notifier = { mailer, publicUrl: config.publicUrl };
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.addHook('preHandler', requireLogin);

    const writableStructures = async (user: SessionUser) =>
      (await listStructuresByIds(db, user.structureIds)).map((s) => ({
        code: String(s.id),
        label: `${s.name} (${s.departement_code})`,
      }));

    app.get('/espace/fiches', { schema: { querystring: NoticeQuery } }, async (request, reply) => {
      const user = userOf(request);
      const rows = await listStructureWork(db, user.structureIds);
      return sendPage(
        reply,
        200,
        <WorkListPage
          user={user}
          csrf={reply.generateCsrf()}
          rows={rows.map((r) => toRow(r, r.revision_updated_at ?? r.updated_at))}
          notice={NOTICES[request.query.info ?? '']}
        />,
      );
    });

    app.get('/espace/relecture', { schema: { querystring: NoticeQuery } }, async (request, reply) => {
      const user = userOf(request);
      ensure(reviewsAnywhere(user), 'La relecture est réservée aux relecteurs et aux administrateurs.');
      const rows = await listReviewQueue(db, user.isAdmin ? null : user.departementCodes);
      return sendPage(
        reply,
        200,
        <ReviewQueuePage
          user={user}
          csrf={reply.generateCsrf()}
          rows={rows.map((r) => toRow(r, r.submitted_at))}
          notice={NOTICES[request.query.info ?? '']}
        />,
      );
    });

    const renderEditor = async (
      reply: FastifyReply,
      user: SessionUser,
      status: number,
      options: {
        workspace?: Workspace;
        content: FicheContent;
        version: number;
        structureId?: number;
        errors?: FormErrors;
        conflict?: { message: string; fields: string[] };
      },
    ) => {
      const ref = await loadReferenceIndex(db);
      const w = options.workspace;
      return sendPage(
        reply,
        status,
        <EditorPage
          user={user}
          csrf={reply.generateCsrf()}
          title={w ? `Modifier « ${w.content.title} »` : 'Nouvelle fiche action'}
          action={w ? `/espace/fiches/${w.fiche.id}` : '/espace/fiches'}
          content={options.content}
          version={options.version}
          choices={presentFormChoices(ref)}
          structures={w ? undefined : await writableStructures(user)}
          structureId={options.structureId}
          structureName={w?.fiche.structure.name}
          errors={options.errors}
          conflict={options.conflict}
          cancel={w ? `/espace/fiches/${w.fiche.id}` : '/espace/fiches'}
        />,
      );
    };

    app.get('/espace/fiches/nouvelle', { schema: { querystring: NoQuery } }, async (request, reply) => {
      const user = userOf(request);
      ensure(user.structureIds.length > 0, 'Seuls les rédacteurs d’une structure écrivent des fiches.');
      return renderEditor(reply, user, 200, {
        content: emptyFicheContent(),
        version: 0,
        structureId: user.structureIds[0],
      });
    });

    // Saves the form, then submits it when the editor chose "Enregistrer et soumettre".
    const saveAndMaybeSubmit = async (
      reply: FastifyReply,
      user: SessionUser,
      body: FormBody,
      workspace: Workspace | undefined,
    ) => {
      const ref = await loadReferenceIndex(db);
      const { content, errors } = parseFicheForm(body, ref, workspace?.content ?? null);
      const structureId = workspace ? workspace.fiche.structure.id : Number(one(body.structure));
      if (!workspace && !user.structureIds.includes(structureId)) {
        errors.structure = 'Choisissez une des structures dont vous rédigez les fiches.';
      }
      const version = parseVersion(body);
      if (Object.keys(errors).length > 0) {
        return renderEditor(reply, user, 400, { workspace, content, version, structureId, errors });
      }
      let id: number;
      try {
        id = await saveFiche(db, user, { actionId: workspace?.fiche.id, structureId, content, baseVersion: version });
      } catch (error) {
        if (error instanceof AppError && error.code === 'stale_version' && workspace) {
          // Keep what the user typed, tell them what the other person changed, and let them save over it knowingly.
          const current = await openWorkspace(db, user, workspace.fiche.id);
          const fields = Object.keys(diffContent(current.content, content)).map(fieldLabel);
          return renderEditor(reply, user, 409, {
            workspace: current,
            content,
            version: current.version,
            conflict: { message: error.message, fields },
          });
        }
        if (error instanceof AppError && error.field) {
          return renderEditor(reply, user, statusOf(error), {
            workspace,
            content,
            version,
            structureId,
            errors: error.errors,
          });
        }
        throw error;
      }
      if (one(body.intent) === 'submit') {
        const saved = await openWorkspace(db, user, id);
        await submitFiche(db, notifier, user, id, saved.version);
        return reply.redirect(`/espace/fiches/${id}?info=soumise`, 303);
      }
      return reply.redirect(`/espace/fiches/${id}?info=enregistree`, 303);
    };

    app.post('/espace/fiches', { schema: { body: FicheForm } }, async (request, reply) =>
      saveAndMaybeSubmit(reply, userOf(request), request.body ?? {}, undefined),
    );

    app.get(
      '/espace/fiches/:id',
      { schema: { params: FicheParams, querystring: NoticeQuery } },
      async (request, reply) => {
        const user = userOf(request);
        const w = await openWorkspace(db, user, parseId(request.params.id));
        return renderWorkspace(reply, user, w, 200, { notice: NOTICES[request.query.info ?? ''] });
      },
    );

    const renderWorkspace = async (
      reply: FastifyReply,
      user: SessionUser,
      w: Workspace,
      status: number,
      extra: { notice?: string; errors?: FormErrors; comment?: string },
    ) => {
      const ref = await loadReferenceIndex(db);
      const placement = { structureId: w.fiche.structure.id, departementCode: w.fiche.structure.departementCode };
      const writes = can(user, 'fiche:write', placement);
      const state = w.revision?.state ?? null;
      return sendPage(
        reply,
        status,
        <WorkspacePage
          user={user}
          csrf={reply.generateCsrf()}
          id={w.fiche.id}
          state={stateLabel(w.fiche.publication, state)}
          publicUrl={w.fiche.publication === 'published' ? fichePath(w.fiche.id, w.fiche.title) : null}
          reviewerComment={state === 'changes_requested' ? (w.revision?.reviewer_comment ?? null) : null}
          version={w.version}
          actions={{
            edit: writes && w.fiche.publication !== 'archived',
            submit: writes && (state === 'draft' || state === 'changes_requested'),
            review: state === 'submitted' && can(user, 'fiche:review', placement),
            archive: w.fiche.publication === 'published' && can(user, 'fiche:archive', placement),
            restore: w.fiche.publication === 'archived' && can(user, 'fiche:archive', placement),
            discard: !writes ? null : w.fiche.publication === 'draft' ? 'delete' : w.revision ? 'abandon' : null,
          }}
          preview={presentFiche({ ...w.fiche, ...w.content, attachments: workAttachments(w) }, ref)}
          {...extra}
        />,
      );
    };

    app.get(
      '/espace/fiches/:id/modifier',
      { schema: { params: FicheParams, querystring: NoQuery } },
      async (request, reply) => {
        const user = userOf(request);
        const w = await openWorkspace(db, user, parseId(request.params.id));
        ensure(
          can(user, 'fiche:write', {
            structureId: w.fiche.structure.id,
            departementCode: w.fiche.structure.departementCode,
          }),
          'Vous ne pouvez pas modifier les fiches de cette structure.',
        );
        return renderEditor(reply, user, 200, { workspace: w, content: w.content, version: w.version });
      },
    );

    app.post('/espace/fiches/:id', { schema: { params: FicheParams, body: FicheForm } }, async (request, reply) => {
      const user = userOf(request);
      const w = await openWorkspace(db, user, parseId(request.params.id));
      return saveAndMaybeSubmit(reply, user, request.body ?? {}, w);
    });

    app.post(
      '/espace/fiches/:id/soumettre',
      { schema: { params: FicheParams, body: VersionForm } },
      async (request, reply) => {
        const id = parseId(request.params.id);
        await submitFiche(db, notifier, userOf(request), id, parseVersion(request.body ?? {}));
        return reply.redirect(`/espace/fiches/${id}?info=soumise`, 303);
      },
    );

    app.post(
      '/espace/fiches/:id/publier',
      { schema: { params: FicheParams, body: ButtonBody } },
      async (request, reply) => {
        await publishFiche(db, notifier, storage, userOf(request), parseId(request.params.id));
        return reply.redirect('/espace/relecture?info=publiee', 303);
      },
    );

    app.post(
      '/espace/fiches/:id/demander-modifications',
      { schema: { params: FicheParams, body: CommentForm } },
      async (request, reply) => {
        const user = userOf(request);
        const id = parseId(request.params.id);
        const comment = one(request.body?.comment);
        try {
          await requestChanges(db, notifier, user, id, comment);
        } catch (error) {
          if (error instanceof AppError && error.field === 'comment') {
            const w = await openWorkspace(db, user, id);
            return renderWorkspace(reply, user, w, statusOf(error), { errors: error.errors, comment });
          }
          throw error;
        }
        return reply.redirect('/espace/relecture?info=renvoyee', 303);
      },
    );

    for (const [path, archived, info] of [
      ['archiver', true, 'archivee'],
      ['restaurer', false, 'restauree'],
    ] as const) {
      app.post(
        `/espace/fiches/:id/${path}`,
        { schema: { params: FicheParams, body: ButtonBody } },
        async (request, reply) => {
          const id = parseId(request.params.id);
          await setArchived(db, userOf(request), id, archived);
          return reply.redirect(`/espace/fiches/${id}?info=${info}`, 303);
        },
      );
    }

    app.post(
      '/espace/fiches/:id/supprimer',
      { schema: { params: FicheParams, body: ButtonBody } },
      async (request, reply) => {
        const id = parseId(request.params.id);
        const outcome = await discardWork(db, storage, userOf(request), id);
        return reply.redirect(
          outcome === 'deleted' ? '/espace/fiches?info=supprimee' : `/espace/fiches/${id}?info=abandonnee`,
          303,
        );
      },
    );

    app.get(
      '/espace/fiches/:id/historique',
      { schema: { params: FicheParams, querystring: NoQuery } },
      async (request, reply) => {
        const user = userOf(request);
        const w = await openWorkspace(db, user, parseId(request.params.id));
        const [rows, ref] = await Promise.all([listHistory(db, w.fiche.id), loadReferenceIndex(db)]);
        return sendPage(
          reply,
          200,
          <HistoryPage
            user={user}
            csrf={reply.generateCsrf()}
            id={w.fiche.id}
            title={w.content.title}
            rows={presentHistory(rows, ref)}
          />,
        );
      },
    );
  };
}
