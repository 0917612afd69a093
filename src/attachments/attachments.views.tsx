import type { SessionUser } from '../authorization/authorization.js';
import type { FormErrors } from '../core/errors.js';
import { filePath } from '../core/paths.js';
import { formatFileSize, frenchSpacing } from '../core/typography.js';
import { EspaceLayout } from '../web/espace-layout.js';
import { CsrfField, ErrorSummary, FieldNotes, fieldId, Notice } from '../web/forms.js';
import { ACCEPT_ATTRIBUTE, MAX_FILE_BYTES, MAX_FILES, typeLabel } from './file-types.js';

/** A file as the lists show it. */
export interface FileItem {
  id: number;
  fileName: string;
  mediaType: string | null;
  sizeBytes: number | null;
  /** A file listed by a legacy dump whose bytes were never received has no address. */
  url: string | null;
  /** Added by the work in progress, not public yet. */
  pending?: boolean;
}

/** « PDF, 240 ko »: what a file is, before one downloads it. */
function fileMeta(file: FileItem): string {
  if (!file.url) return 'fichier non disponible';
  return [typeLabel(file.mediaType), file.sizeBytes === null ? '' : formatFileSize(file.sizeBytes)]
    .filter(Boolean)
    .join(', ');
}

/** A list of files, each a download link with its type and size. */
export function FileList(props: { files: FileItem[]; action?: (file: FileItem) => JSX.Element }): JSX.Element {
  return (
    <ul class="file-list">
      {props.files.map((f) => (
        <li>
          {f.url ? (
            <a href={f.url} safe>
              {f.fileName}
            </a>
          ) : (
            <span safe>{f.fileName}</span>
          )}{' '}
          <span class="meta" safe>{`(${fileMeta(f)})`}</span>
          {f.pending && <span class="tag">ajouté, publié avec la fiche</span>}
          {props.action ? props.action(f) : ''}
        </li>
      ))}
    </ul>
  );
}

/** The uploaded files of a work in progress, as the lists show them. */
export function workFileItems(
  files: Array<{ id: number; file_name: string; media_type: string | null; size_bytes: number | null; state: string }>,
): FileItem[] {
  return files.map((f) => ({
    id: f.id,
    fileName: f.file_name,
    mediaType: f.media_type,
    sizeBytes: f.size_bytes,
    url: filePath(f.id, f.file_name),
    pending: f.state === 'pending',
  }));
}

/** A fiche's files in the space: download, remove, add. */
export function AttachmentsPage(props: {
  user: SessionUser;
  csrf: string;
  id: number;
  title: string;
  files: FileItem[];
  writable: boolean;
  notice?: string;
  errors?: FormErrors;
}): JSX.Element {
  const base = `/espace/fiches/${props.id}/fichiers`;
  const errors = props.errors ?? {};
  const room = MAX_FILES - props.files.length;
  return (
    <EspaceLayout
      title={Object.keys(errors).length > 0 ? `Erreur — Fichiers — ${props.title}` : `Fichiers — ${props.title}`}
      user={props.user}
      csrf={props.csrf}
    >
      <p class="kicker">Fichiers associés</p>
      <h1 safe>{props.title}</h1>
      <p>
        <a href={`/espace/fiches/${props.id}`}>Retour à la fiche</a>
      </p>
      <Notice message={props.notice} />
      <ErrorSummary errors={errors} />
      {props.files.length === 0 ? (
        <p>Aucun fichier n’est joint à cette fiche.</p>
      ) : (
        <FileList
          files={props.files}
          action={(f) =>
            props.writable ? (
              <form method="post" action={`${base}/${f.id}/retirer`} class="inline-form">
                <CsrfField token={props.csrf} />
                <button type="submit" class="secondary small">
                  Retirer<span class="visually-hidden" safe>{` ${f.fileName}`}</span>
                </button>
              </form>
            ) : (
              ''
            )
          }
        />
      )}
      {props.writable &&
        (room > 0 ? (
          // The CSRF field comes first: the server reads it before any file.
          <form method="post" action={base} enctype="multipart/form-data" class="upload-form">
            <CsrfField token={props.csrf} />
            <div class={errors.fichiers ? 'field field-invalid' : 'field'}>
              <label for={fieldId('fichiers')}>Ajouter des fichiers</label>
              <FieldNotes
                name="fichiers"
                hint={frenchSpacing(
                  `PDF, images (JPEG, PNG, WebP) ou documents Word, Excel, PowerPoint, OpenDocument ; 10 Mo au plus par fichier, ${MAX_FILES} fichiers au plus par fiche (encore ${room}). Ils deviennent publics quand la relecture publie la fiche.`,
                )}
                error={errors.fichiers}
              />
              <input
                type="file"
                id={fieldId('fichiers')}
                name="fichiers"
                multiple
                accept={ACCEPT_ATTRIBUTE}
                data-max-bytes={String(MAX_FILE_BYTES)}
                data-max-files={String(room)}
                aria-invalid={errors.fichiers ? 'true' : undefined}
              />
            </div>
            <button type="submit">Envoyer les fichiers</button>
          </form>
        ) : (
          <p>Cette fiche a ses {MAX_FILES} fichiers, le maximum : retirez-en un pour en ajouter un autre.</p>
        ))}
    </EspaceLayout>
  );
}
