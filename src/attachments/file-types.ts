import { fileTypeFromBuffer } from 'file-type';

/** The largest file a fiche accepts: 10 Mo, as a file explorer counts them. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** How many files a fiche may carry. */
export const MAX_FILES = 10;

/** A kind of file a fiche may carry, as detected from its content. */
export interface AcceptedType {
  mediaType: string;
  /** The extension its name gets when the name given has another one. */
  extension: string;
  /** What users call it, in French. */
  label: string;
}

/** The files a fiche accepts: PDF, images, office documents; nothing that a browser would run. */
export const ACCEPTED_TYPES: readonly AcceptedType[] = [
  { mediaType: 'application/pdf', extension: 'pdf', label: 'PDF' },
  { mediaType: 'image/jpeg', extension: 'jpg', label: 'image JPEG' },
  { mediaType: 'image/png', extension: 'png', label: 'image PNG' },
  { mediaType: 'image/webp', extension: 'webp', label: 'image WebP' },
  {
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extension: 'docx',
    label: 'document Word',
  },
  {
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extension: 'xlsx',
    label: 'classeur Excel',
  },
  {
    mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    extension: 'pptx',
    label: 'présentation PowerPoint',
  },
  { mediaType: 'application/vnd.oasis.opendocument.text', extension: 'odt', label: 'texte OpenDocument' },
  {
    mediaType: 'application/vnd.oasis.opendocument.spreadsheet',
    extension: 'ods',
    label: 'classeur OpenDocument',
  },
];

const BY_MEDIA_TYPE = new Map(ACCEPTED_TYPES.map((t) => [t.mediaType, t]));

/** The extensions the upload field suggests to the browser's file picker. */
export const ACCEPT_ATTRIBUTE = ACCEPTED_TYPES.map((t) => `.${t.extension}`)
  .concat('.jpeg')
  .join(',');

/** The accepted type of a file's content, or null: the name and the browser's claim are not looked at. */
export async function detectAcceptedType(content: Buffer): Promise<AcceptedType | null> {
  const detected = await fileTypeFromBuffer(content);
  return (detected && BY_MEDIA_TYPE.get(detected.mime)) ?? null;
}

/** The French name of a stored media type, for the list of files. */
export function typeLabel(mediaType: string | null): string {
  return (mediaType && BY_MEDIA_TYPE.get(mediaType)?.label) ?? 'fichier';
}
