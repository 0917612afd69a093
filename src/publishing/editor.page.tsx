import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { type Static, Type } from 'typebox';
import { ensure, userOf } from '../accounts/sessions.http.js';
import { diffContent, emptyContent, type FicheContent } from '../actions/fiche.js';
import { can, type SessionUser, writesAnywhere } from '../authorization/authorization.js';
import { AppError, type FormErrors } from '../core/errors.js';
import { frenchSpacing, quote } from '../core/typography.js';
import { loadReferenceIndex } from '../vocabularies/vocabularies.service.js';
import { statusOf } from '../web/errors.js';
import { NoQuery, PageQuery, type RequestOf } from '../web/route-schemas.js';
import { sendPage } from '../web/send-page.js';
import { EditorPage } from './editor.views.js';
import { EDITOR_SECTIONS } from './editor-sections.js';
import { parseFicheForm } from './fiche-form.js';
import { FicheForm, FicheParams } from './publishing.forms.js';
import { type PublishingDeps, parseFicheId, parseVersion } from './publishing.http.js';
import { fieldLabel, presentFormChoices, workspaceActions } from './publishing.presenter.js';
import { openWorkspace, saveFiche, submitFiche, type Workspace, writableStructures } from './publishing.service.js';
import { publishFiche } from './review.service.js';
import { chosenStructure, type StructureSearch, searchesStructures } from './structure-choice.js';

const newSchema = { querystring: NoQuery };
const createSchema = { body: FicheForm };
const editSchema = {
  params: FicheParams,
  querystring: PageQuery({ section: Type.Optional(Type.String({ maxLength: 40 })) }),
};
const correctSchema = { params: FicheParams, querystring: NoQuery };
const saveSchema = { params: FicheParams, body: FicheForm };

/** The editor of a fiche: a new one, or the work in progress of an existing one. */
export function editorRoutes(deps: PublishingDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/espace/fiches/nouvelle', { schema: newSchema }, (request, reply) => showNewFiche(deps, request, reply));
    app.post('/espace/fiches', { schema: createSchema }, (request, reply) =>
      saveAndMaybeSubmit(deps, reply, userOf(request), request.body, undefined),
    );
    app.get('/espace/fiches/:id/modifier', { schema: editSchema }, (request, reply) =>
      showEditor(deps, request, reply),
    );
    app.post('/espace/fiches/:id', { schema: saveSchema }, (request, reply) => saveExisting(deps, request, reply));
    app.post('/espace/fiches/:id/brouillon', { schema: saveSchema }, (request, reply) =>
      autosave(deps, request, reply),
    );
    app.get('/espace/fiches/:id/corriger', { schema: correctSchema }, async (request, reply) => {
      const user = userOf(request);
      const w = await reviewedWork(deps, user, request.params.id);
      return renderEditor(deps, reply, user, 200, { workspace: w, content: w.content, version: w.version }, true);
    });
    app.post('/espace/fiches/:id/corriger', { schema: saveSchema }, (request, reply) =>
      correctAndPublish(deps, request, reply),
    );
  };
}

/**
 * The editor's script saving the draft in the background, answered in JSON: the new version, or
 * why not. A version behind the stored one is refused (409): an autosave never overwrites
 * someone else's newer work.
 */
async function autosave(deps: PublishingDeps, request: RequestOf<typeof saveSchema>, reply: FastifyReply) {
  const user = userOf(request);
  const w = await openWorkspace(deps.db, user, parseFicheId(request.params.id));
  const { content, errors } = parseFicheForm(request.body, await loadReferenceIndex(deps.db), w.content);
  const first = Object.values(errors)[0];
  if (first)
    return reply.status(400).send({ message: frenchSpacing(`Brouillon non enregistré automatiquement : ${first}`) });
  try {
    const baseVersion = parseVersion(request.body.version);
    await saveFiche(deps.db, user, { actionId: w.fiche.id, structureId: w.fiche.structure.id, content, baseVersion });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const message =
      error.code === 'stale_version'
        ? 'Quelqu’un a enregistré une version plus récente de cette fiche : votre texte n’a pas été enregistré automatiquement. Cliquez sur « Enregistrer le brouillon » pour comparer les deux versions.'
        : error.message;
    return reply.status(statusOf(error)).send({ message: frenchSpacing(message) });
  }
  return { version: (await openWorkspace(deps.db, user, w.fiche.id)).version };
}

/** Submitted work the user reviews, which « Corriger et publier » changes. */
async function reviewedWork(deps: PublishingDeps, user: SessionUser, rawId: string): Promise<Workspace> {
  const w = await openWorkspace(deps.db, user, parseFicheId(rawId));
  ensure(workspaceActions(user, w).review, 'Cette fiche n’attend pas votre relecture.');
  return w;
}

async function correctAndPublish(deps: PublishingDeps, request: RequestOf<typeof saveSchema>, reply: FastifyReply) {
  const user = userOf(request);
  const w = await reviewedWork(deps, user, request.params.id);
  const { content, errors } = parseFicheForm(request.body, await loadReferenceIndex(deps.db), w.content);
  const version = parseVersion(request.body.version);
  if (Object.keys(errors).length > 0) {
    return renderEditor(deps, reply, user, 400, { workspace: w, content, version, errors }, true);
  }
  try {
    await publishFiche(deps.db, deps.notifier, deps.storage, user, w.fiche.id, { content, baseVersion: version });
  } catch (error) {
    if (error instanceof AppError && error.field) {
      return renderEditor(
        deps,
        reply,
        user,
        statusOf(error),
        { workspace: w, content, version, errors: error.errors },
        true,
      );
    }
    if (!(error instanceof AppError && error.code === 'stale_version')) throw error;
    const current = await reviewedWork(deps, user, request.params.id);
    const fields = Object.keys(diffContent(current.content, content)).map(fieldLabel);
    const conflict = { message: error.message, fields };
    return renderEditor(
      deps,
      reply,
      user,
      409,
      { workspace: current, content, version: current.version, conflict },
      true,
    );
  }
  return reply.redirect('/espace/relecture?info=publiee', 303);
}

interface EditorState {
  workspace?: Workspace;
  content: FicheContent;
  version: number;
  structureId?: number;
  errors?: FormErrors;
  conflict?: { message: string; fields: string[] };
  savedSection?: string;
  /** The search field that chooses a new fiche's structure, for whom a list would be too long. */
  structureSearch?: StructureSearch;
}

async function renderEditor(
  deps: PublishingDeps,
  reply: FastifyReply,
  user: SessionUser,
  status: number,
  state: EditorState,
  correcting = false,
) {
  const ref = await loadReferenceIndex(deps.db);
  const w = state.workspace;
  return sendPage(
    reply,
    status,
    <EditorPage
      user={user}
      csrf={reply.generateCsrf()}
      title={
        correcting
          ? `Corriger ${quote(w?.content.title ?? '')}`
          : w
            ? `Modifier ${quote(w.content.title)}`
            : 'Nouvelle fiche action'
      }
      action={w ? `/espace/fiches/${w.fiche.id}${correcting ? '/corriger' : ''}` : '/espace/fiches'}
      correcting={correcting}
      autosave={w && !correcting ? `/espace/fiches/${w.fiche.id}/brouillon` : undefined}
      content={state.content}
      version={state.version}
      choices={presentFormChoices(ref)}
      structures={w || searchesStructures(user) ? undefined : await writableStructures(deps.db, user)}
      structureSearch={
        w
          ? undefined
          : (state.structureSearch ?? (searchesStructures(user) ? { value: '', candidates: [] } : undefined))
      }
      structureId={state.structureId}
      structureName={w?.fiche.structure.name}
      errors={state.errors}
      conflict={state.conflict}
      savedSection={state.savedSection}
      cancel={w ? `/espace/fiches/${w.fiche.id}` : '/espace/fiches'}
    />,
  );
}

async function showNewFiche(deps: PublishingDeps, request: RequestOf<typeof newSchema>, reply: FastifyReply) {
  const user = userOf(request);
  ensure(writesAnywhere(user), 'Seuls les rédacteurs d’une structure écrivent des fiches.');
  return renderEditor(deps, reply, user, 200, {
    content: emptyContent(),
    version: 0,
    structureId: user.structureIds[0],
  });
}

async function showEditor(deps: PublishingDeps, request: RequestOf<typeof editSchema>, reply: FastifyReply) {
  const user = userOf(request);
  const w = await openWorkspace(deps.db, user, parseFicheId(request.params.id));
  ensure(
    can(user, 'fiche:write', { structureId: w.fiche.structure.id, departementCode: w.fiche.structure.departementCode }),
    'Vous ne pouvez pas modifier les fiches de cette structure.',
  );
  const savedSection = EDITOR_SECTIONS.find((x) => x.id === request.query.section)?.id;
  return renderEditor(deps, reply, user, 200, { workspace: w, content: w.content, version: w.version, savedSection });
}

async function saveExisting(deps: PublishingDeps, request: RequestOf<typeof saveSchema>, reply: FastifyReply) {
  const user = userOf(request);
  const w = await openWorkspace(deps.db, user, parseFicheId(request.params.id));
  return saveAndMaybeSubmit(deps, reply, user, request.body, w);
}

/** Saves the form, then submits it when the editor chose « Enregistrer et soumettre ». */
async function saveAndMaybeSubmit(
  deps: PublishingDeps,
  reply: FastifyReply,
  user: SessionUser,
  body: Static<typeof FicheForm>,
  workspace: Workspace | undefined,
) {
  const { content, errors } = parseFicheForm(body, await loadReferenceIndex(deps.db), workspace?.content ?? null);
  let structureId = workspace?.fiche.structure.id ?? Number(body.structure ?? '');
  let structureSearch: StructureSearch | undefined;
  if (!workspace) {
    const chosen = await chosenStructure(deps.db, user, body);
    structureSearch = chosen.search;
    if (chosen.error) errors.structure = chosen.error;
    else structureId = chosen.id;
  }
  const version = parseVersion(body.version);
  if (Object.keys(errors).length > 0) {
    return renderEditor(deps, reply, user, 400, { workspace, content, version, structureId, errors, structureSearch });
  }
  let id: number;
  try {
    id = await saveFiche(deps.db, user, { actionId: workspace?.fiche.id, structureId, content, baseVersion: version });
  } catch (error) {
    if (error instanceof AppError && error.code === 'stale_version' && workspace) {
      // Keep what the user typed, tell them what the other person changed, and let them save over it knowingly.
      const current = await openWorkspace(deps.db, user, workspace.fiche.id);
      const fields = Object.keys(diffContent(current.content, content)).map(fieldLabel);
      return renderEditor(deps, reply, user, 409, {
        workspace: current,
        content,
        version: current.version,
        conflict: { message: error.message, fields },
      });
    }
    if (!(error instanceof AppError && error.field)) throw error;
    return renderEditor(deps, reply, user, statusOf(error), {
      workspace,
      content,
      version,
      structureId,
      errors: error.errors,
    });
  }
  const section = EDITOR_SECTIONS.find((x) => body.intent === `save:${x.id}`);
  // A section's own button: back to that section of the form, its notice there.
  if (section) return reply.redirect(`/espace/fiches/${id}/modifier?section=${section.id}#${section.id}`, 303);
  if (body.intent === 'submit') {
    const saved = await openWorkspace(deps.db, user, id);
    await submitFiche(deps.db, deps.notifier, user, id, saved.version);
    return reply.redirect(`/espace/fiches/${id}?info=soumise`, 303);
  }
  return reply.redirect(`/espace/fiches/${id}?info=enregistree`, 303);
}
