import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { userOf } from '../accounts/sessions.http.js';
import { presentFiche } from '../actions/actions.presenter.js';
import { diffContent, pickContent } from '../actions/fiche.js';
import type { SessionUser } from '../authorization/authorization.js';
import { AppError, type FormErrors } from '../core/errors.js';
import { fichePath } from '../core/paths.js';
import { loadReferenceIndex } from '../vocabularies/vocabularies.service.js';
import { statusOf } from '../web/errors.js';
import { ButtonBody, NoQuery, NoticeQuery, type RequestOf } from '../web/route-schemas.js';
import { sendPage } from '../web/send-page.js';
import { CommentForm, FicheParams, VersionForm } from './publishing.forms.js';
import { NOTICES, type PublishingDeps, parseFicheId, parseVersion } from './publishing.http.js';
import { presentChanges, stateLabel, workspaceActions } from './publishing.presenter.js';
import { discardWork, openWorkspace, submitFiche, type Workspace, workAttachments } from './publishing.service.js';
import { publishFiche, requestChanges, setArchived } from './review.service.js';
import { forbidden } from './workflow.js';
import { ConfirmPage, WorkspacePage } from './workspace.views.js';

const showSchema = { params: FicheParams, querystring: NoticeQuery };
const confirmSchema = { params: FicheParams, querystring: NoQuery };
const submitSchema = { params: FicheParams, body: VersionForm };
const buttonSchema = { params: FicheParams, body: ButtonBody };
const commentSchema = { params: FicheParams, body: CommentForm };
type ButtonRequest = RequestOf<typeof buttonSchema>;

/** A fiche's page in the space, and what its buttons do: submit, publish, send back, archive, discard. */
export function workspaceRoutes(deps: PublishingDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/espace/fiches/:id', { schema: showSchema }, (request, reply) => showWorkspace(deps, request, reply));
    app.post('/espace/fiches/:id/soumettre', { schema: submitSchema }, (request, reply) =>
      submit(deps, request, reply),
    );
    app.get('/espace/fiches/:id/publier', { schema: confirmSchema }, (request, reply) =>
      confirm(deps, request, reply, 'publier'),
    );
    app.post('/espace/fiches/:id/publier', { schema: buttonSchema }, (request, reply) => publish(deps, request, reply));
    app.post('/espace/fiches/:id/demander-modifications', { schema: commentSchema }, (request, reply) =>
      sendBack(deps, request, reply),
    );
    app.get('/espace/fiches/:id/archiver', { schema: confirmSchema }, (request, reply) =>
      confirm(deps, request, reply, 'archiver'),
    );
    app.post('/espace/fiches/:id/archiver', { schema: buttonSchema }, (request, reply) =>
      archive(deps, request, reply, true),
    );
    app.post('/espace/fiches/:id/restaurer', { schema: buttonSchema }, (request, reply) =>
      archive(deps, request, reply, false),
    );
    app.post('/espace/fiches/:id/supprimer', { schema: buttonSchema }, (request, reply) =>
      discard(deps, request, reply),
    );
  };
}

/** The fiche as its work stands, in the public shape: the preview, and what a step names. */
function previewOf(w: Workspace, ref: Awaited<ReturnType<typeof loadReferenceIndex>>) {
  return presentFiche({ ...w.fiche, ...w.content, attachments: workAttachments(w) }, ref);
}

/** « Structure — Département (code) »: where a fiche belongs, which a reviewer checks first. */
function placeOf(fiche: ReturnType<typeof previewOf>): string {
  const dep = fiche.structure.department;
  return `${fiche.structure.name} — ${dep.name ?? dep.code} (${dep.code})`;
}

/** What the work in progress changes in the published version; nothing for a fiche never published. */
function pendingChanges(w: Workspace, ref: Awaited<ReturnType<typeof loadReferenceIndex>>) {
  if (w.fiche.publication !== 'published' || !w.revision) return undefined;
  return presentChanges(diffContent(pickContent(w.fiche), w.content), ref);
}

async function renderWorkspace(
  deps: PublishingDeps,
  reply: FastifyReply,
  user: SessionUser,
  w: Workspace,
  status: number,
  extra: { notice?: string; errors?: FormErrors; comment?: string },
) {
  const ref = await loadReferenceIndex(deps.db);
  const state = w.revision?.state ?? null;
  const preview = previewOf(w, ref);
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
      actions={workspaceActions(user, w)}
      preview={preview}
      place={placeOf(preview)}
      changes={pendingChanges(w, ref)}
      {...extra}
    />,
  );
}

async function showWorkspace(deps: PublishingDeps, request: RequestOf<typeof showSchema>, reply: FastifyReply) {
  const user = userOf(request);
  const w = await openWorkspace(deps.db, user, parseFicheId(request.params.id));
  return renderWorkspace(deps, reply, user, w, 200, { notice: NOTICES[request.query.info ?? ''] });
}

/** « Publier cette fiche ? », « Archiver cette fiche ? »: only for whom the button is offered. */
async function confirm(
  deps: PublishingDeps,
  request: RequestOf<typeof confirmSchema>,
  reply: FastifyReply,
  step: 'publier' | 'archiver',
) {
  const user = userOf(request);
  const w = await openWorkspace(deps.db, user, parseFicheId(request.params.id));
  const actions = workspaceActions(user, w);
  if (!(step === 'publier' ? actions.review : actions.archive)) {
    throw forbidden(
      step === 'publier' ? 'Cette fiche n’attend pas votre relecture.' : 'Vous ne pouvez pas archiver cette fiche.',
    );
  }
  const ref = await loadReferenceIndex(deps.db);
  const fiche = previewOf(w, ref);
  return sendPage(
    reply,
    200,
    <ConfirmPage
      user={user}
      csrf={reply.generateCsrf()}
      id={w.fiche.id}
      title={fiche.title}
      place={placeOf(fiche)}
      step={step}
    />,
  );
}

async function submit(deps: PublishingDeps, request: RequestOf<typeof submitSchema>, reply: FastifyReply) {
  const id = parseFicheId(request.params.id);
  await submitFiche(deps.db, deps.notifier, userOf(request), id, parseVersion(request.body.version));
  return reply.redirect(`/espace/fiches/${id}?info=soumise`, 303);
}

async function publish(deps: PublishingDeps, request: ButtonRequest, reply: FastifyReply) {
  await publishFiche(deps.db, deps.notifier, deps.storage, userOf(request), parseFicheId(request.params.id));
  return reply.redirect('/espace/relecture?info=publiee', 303);
}

async function sendBack(deps: PublishingDeps, request: RequestOf<typeof commentSchema>, reply: FastifyReply) {
  const user = userOf(request);
  const id = parseFicheId(request.params.id);
  const comment = request.body.comment ?? '';
  try {
    await requestChanges(deps.db, deps.notifier, user, id, comment);
  } catch (error) {
    if (!(error instanceof AppError && error.field === 'comment')) throw error;
    const w = await openWorkspace(deps.db, user, id);
    return renderWorkspace(deps, reply, user, w, statusOf(error), { errors: error.errors, comment });
  }
  return reply.redirect('/espace/relecture?info=renvoyee', 303);
}

async function archive(deps: PublishingDeps, request: ButtonRequest, reply: FastifyReply, archived: boolean) {
  const id = parseFicheId(request.params.id);
  await setArchived(deps.db, userOf(request), id, archived);
  return reply.redirect(`/espace/fiches/${id}?info=${archived ? 'archivee' : 'restauree'}`, 303);
}

async function discard(deps: PublishingDeps, request: ButtonRequest, reply: FastifyReply) {
  const id = parseFicheId(request.params.id);
  const outcome = await discardWork(deps.db, deps.storage, userOf(request), id);
  return reply.redirect(
    outcome === 'deleted' ? '/espace/fiches?info=supprimee' : `/espace/fiches/${id}?info=abandonnee`,
    303,
  );
}
