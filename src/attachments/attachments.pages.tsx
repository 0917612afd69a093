import multipart, { type Multipart } from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import contentDisposition from 'content-disposition';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireLogin, userOf } from '../accounts/sessions.http.js';
import { can, type SessionUser } from '../authorization/authorization.js';
import { AppError, type FormErrors, notFound } from '../core/errors.js';
import type { Db } from '../db/database.js';
import { openWorkspace, type Workspace } from '../publishing/publishing.service.js';
import { statusOf } from '../web/errors.js';
import { ButtonBody, NoQuery, NoticeQuery, PathSegment, type RequestOf } from '../web/route-schemas.js';
import { sendPage } from '../web/send-page.js';
import { addFiles, isUploadRefusal, openFile, removeFile, type Upload, uploadRefused } from './attachments.service.js';
import { AttachmentsPage, workFileItems } from './attachments.views.js';
import { MAX_FILE_BYTES, MAX_FILES } from './file-types.js';
import type { FileStorage } from './storage.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The rest of a multipart form, once its CSRF field has been read. */
    uploadParts?: AsyncIterableIterator<Multipart>;
  }
}

const NOTICES: Record<string, string> = {
  ajout: 'Fichier ajouté. Il sera public quand la fiche, soumise à relecture, aura été publiée.',
  ajouts: 'Fichiers ajoutés. Ils seront publics quand la fiche, soumise à relecture, aura été publiée.',
  retrait: 'Fichier retiré. S’il était public, il le reste jusqu’à la publication de la fiche.',
};

function parseId(raw: string, message: string): number {
  if (!/^\d{1,9}$/.test(raw)) throw notFound(message);
  return Number(raw);
}

const ficheId = (raw: string) => parseId(raw, 'Cette fiche action n’existe pas, ou plus.');

const FicheParams = Type.Object({ id: PathSegment });
const FileOfFicheParams = Type.Object({ id: PathSegment, fileId: PathSegment });
const FileParams = Type.Object({ fileId: PathSegment, name: PathSegment });

/**
 * Reads the first part of a multipart form, which the form puts first: its CSRF token. The
 * global check then sees it in `request.body` as for any form, before a single file is read.
 */
async function readCsrfPart(request: FastifyRequest) {
  if (!request.isMultipart()) return;
  const parts = request.parts();
  request.uploadParts = parts;
  const first = await parts.next();
  const isToken = !first.done && first.value.type === 'field' && first.value.fieldname === '_csrf';
  // Without its token first, the form is refused by the CSRF check, not by the schema.
  request.body = isToken ? { _csrf: String(first.value.value) } : {};
  if (!first.done && first.value.type === 'file') first.value.file.resume();
}

// A refused request still has its files on the wire: read them to the end, so that the browser
// finishes sending and shows the answer instead of a broken connection.
async function drainParts(request: FastifyRequest) {
  if (!request.uploadParts) return;
  try {
    for await (const part of request.uploadParts) if (part.type === 'file') part.file.resume();
  } catch {
    // The form is being thrown away: a malformed end changes nothing.
  }
}

/** The files of the form, each read into memory up to the size limit (at most 10 of 10 Mo). */
async function readUploads(parts: AsyncIterableIterator<Multipart>): Promise<Upload[]> {
  const uploads: Upload[] = [];
  try {
    for await (const part of parts) {
      if (part.type !== 'file') continue;
      const content = await part.toBuffer();
      // A browser sends an empty part when no file was chosen.
      if (part.filename === '' && content.length === 0) continue;
      uploads.push({ fileName: part.filename, content, truncated: part.file.truncated });
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') {
      throw uploadRefused([`Envoyez au plus ${MAX_FILES} fichiers à la fois.`], true);
    }
    throw error;
  }
  return uploads;
}

const listSchema = { params: FicheParams, querystring: NoticeQuery };
// The files are read by the handler as they stream; the schema checks the token before them.
const uploadSchema = { params: FicheParams, body: { content: { 'multipart/form-data': { schema: ButtonBody } } } };
const removeSchema = { params: FileOfFicheParams, body: ButtonBody };
const downloadSchema = { params: FileParams, querystring: NoQuery };

/** What the attachment pages work with. */
interface AttachmentDeps {
  db: Db;
  storage: FileStorage;
}

/** A fiche's files in the space (list, upload, removal) and the download of every file. */
export function attachmentPages(db: Db, storage: FileStorage): FastifyPluginAsync {
  const deps: AttachmentDeps = { db, storage };
  return async (base) => {
    // Multipart bodies are accepted by these routes only.
    await base.register(multipart, {
      limits: { fileSize: MAX_FILE_BYTES, files: MAX_FILES, fields: 2, fieldSize: 1024, parts: MAX_FILES + 2 },
      // A file over the limit is cut and flagged, so that the form can say which one it was.
      throwFileSizeLimit: false,
    });
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/espace/fiches/:id/fichiers', { schema: listSchema, preHandler: requireLogin }, (request, reply) =>
      showFiles(deps, request, reply),
    );
    app.post(
      '/espace/fiches/:id/fichiers',
      { schema: uploadSchema, preValidation: readCsrfPart, preHandler: requireLogin, onResponse: drainParts },
      (request, reply) => upload(deps, request, reply),
    );
    app.post(
      '/espace/fiches/:id/fichiers/:fileId/retirer',
      { schema: removeSchema, preHandler: requireLogin },
      async (request, reply) => {
        const id = ficheId(request.params.id);
        const fileId = parseId(request.params.fileId, 'Ce fichier n’existe pas, ou plus.');
        await removeFile(db, storage, userOf(request), id, fileId);
        return reply.redirect(`/espace/fiches/${id}/fichiers?info=retrait`, 303);
      },
    );
    // The name at the end of the address is for the browser; the file is found by its id.
    app.get('/fichiers/:fileId/:name', { schema: downloadSchema }, (request, reply) => download(deps, request, reply));
  };
}

async function renderPage(
  reply: FastifyReply,
  user: SessionUser,
  w: Workspace,
  status: number,
  extra: { notice?: string; errors?: FormErrors },
) {
  const placement = { structureId: w.fiche.structure.id, departementCode: w.fiche.structure.departementCode };
  const writable = w.fiche.publication !== 'archived' && can(user, 'fiche:write', placement);
  return sendPage(
    reply,
    status,
    <AttachmentsPage
      user={user}
      csrf={reply.generateCsrf()}
      id={w.fiche.id}
      title={w.content.title}
      files={workFileItems(w.files)}
      writable={writable}
      {...extra}
    />,
  );
}

async function showFiles(deps: AttachmentDeps, request: RequestOf<typeof listSchema>, reply: FastifyReply) {
  const user = userOf(request);
  const w = await openWorkspace(deps.db, user, ficheId(request.params.id));
  return renderPage(reply, user, w, 200, { notice: NOTICES[request.query.info ?? ''] });
}

async function upload(deps: AttachmentDeps, request: RequestOf<typeof uploadSchema>, reply: FastifyReply) {
  const user = userOf(request);
  const id = ficheId(request.params.id);
  if (!request.uploadParts) {
    throw new AppError('not_multipart', 'Les fichiers s’envoient par le formulaire d’ajout de fichiers.');
  }
  let count = 0;
  try {
    const uploads = await readUploads(request.uploadParts);
    count = uploads.length;
    await addFiles(deps.db, deps.storage, user, id, uploads);
  } catch (error) {
    if (!isUploadRefusal(error)) throw error;
    const w = await openWorkspace(deps.db, user, id);
    return renderPage(reply, user, w, statusOf(error), { errors: error.errors });
  }
  return reply.redirect(`/espace/fiches/${id}/fichiers?info=${count > 1 ? 'ajouts' : 'ajout'}`, 303);
}

async function download(deps: AttachmentDeps, request: RequestOf<typeof downloadSchema>, reply: FastifyReply) {
  const file = await openFile(
    deps.db,
    deps.storage,
    request.user,
    parseId(request.params.fileId, 'Ce fichier n’existe pas, ou plus.'),
  );
  // The presigned address expires within minutes: neither the reader nor a cache keeps it.
  if (file.location) return reply.header('Cache-Control', 'private, no-store').redirect(file.location, 302);
  reply
    .header('Content-Type', file.mediaType)
    .header('Content-Disposition', contentDisposition(file.fileName))
    .header('X-Content-Type-Options', 'nosniff')
    // A file is data, never a page: even opened directly it runs nothing.
    .header('Content-Security-Policy', "default-src 'none'; sandbox")
    .header('Cache-Control', request.user ? 'private, no-store' : 'public, max-age=3600');
  if (file.sizeBytes !== null) reply.header('Content-Length', file.sizeBytes);
  return reply.send(file.stream);
}
