import { type Column, LIST_SEPARATOR, SHEET_COLUMNS } from '../exports/exports.presenter.js';
import type { ExportLicence } from '../exports/exports.service.js';
import type { ReferenceIndex } from '../vocabularies/vocabularies.service.js';

/** The open data files' names, the same at every build. */
export const OPEN_DATA_FILES = {
  csv: 'essaim-fiches.csv',
  xlsx: 'essaim-fiches.xlsx',
  json: 'essaim-fiches.json',
  dump: 'essaim-fiches-senacs.txt',
  schema: 'schema.json',
  example: 'exemple-valide.csv',
  datapackage: 'datapackage.json',
} as const;

const labelsOf = (ref: ReferenceIndex, column: Column) =>
  column.kind?.vocabulary ? [...ref.terms[column.kind.vocabulary].values()].map((t) => t.label) : [];

/** One column as a Table Schema field: its type, format and constraints, its vocabulary's labels. */
function field(column: Column, ref: ReferenceIndex) {
  const kind = column.kind ?? {};
  const labels = labelsOf(ref, column);
  const description =
    kind.description ??
    (kind.list
      ? `Valeurs séparées par « ${LIST_SEPARATOR.trim()} »${labels.length > 0 ? `, parmi : ${labels.join(', ')}` : ''}.`
      : `${column.header} de la fiche.`);
  const constraints = {
    ...(kind.pattern ? { pattern: kind.pattern } : {}),
    ...(labels.length > 0 && !kind.list ? { enum: labels } : {}),
    ...(column.header === 'Identifiant' || column.header === 'Adresse' ? { required: true, unique: true } : {}),
  };
  return {
    name: column.header,
    title: column.header,
    description,
    type: kind.type ?? 'string',
    ...(kind.format ? { format: kind.format } : {}),
    // The CSV writes numbers the French way, as the spreadsheets it is made for read them.
    ...(kind.type === 'number' ? { decimalChar: ',', groupChar: '' } : {}),
    ...(Object.keys(constraints).length > 0 ? { constraints } : {}),
  };
}

/**
 * The Table Schema of the CSV export (specs.frictionlessdata.io/table-schema, with the
 * metadata schema.data.gouv.fr asks for): one field per column, in order, named by its header.
 */
export function tableSchema(ref: ReferenceIndex, site: { publicUrl: string; licence: ExportLicence }) {
  return {
    $schema: 'https://specs.frictionlessdata.io/schemas/table-schema.json',
    name: 'essaim-fiches-actions',
    title: 'Fiches actions des centres sociaux (Essaim)',
    description:
      'Les fiches actions publiées par les centres sociaux et les espaces de vie sociale : une ligne par fiche, ses textes, ses vocabulaires, le budget lu dans ses ressources financières, sa structure et ses coordonnées publiques.',
    countryCode: 'FR',
    homepage: `${site.publicUrl}/donnees-ouvertes`,
    path: `${site.publicUrl}/donnees-ouvertes/${OPEN_DATA_FILES.schema}`,
    example: `${site.publicUrl}/donnees-ouvertes/${OPEN_DATA_FILES.example}`,
    version: '1.0.0',
    licenses: [{ title: site.licence.name, path: site.licence.url }],
    missingValues: [''],
    primaryKey: 'Identifiant',
    fields: SHEET_COLUMNS.map((column) => field(column, ref)),
  };
}

/** The data package of the open data files: the CSV with its dialect and schema, and the others. */
export function dataPackage(site: { publicUrl: string; licence: ExportLicence }, builtAt: Date) {
  return {
    name: 'essaim-fiches-actions',
    title: 'Fiches actions des centres sociaux (Essaim)',
    homepage: `${site.publicUrl}/donnees-ouvertes`,
    created: builtAt.toISOString(),
    licenses: [{ title: site.licence.name, path: site.licence.url }],
    resources: [
      {
        name: 'fiches',
        path: OPEN_DATA_FILES.csv,
        format: 'csv',
        mediatype: 'text/csv',
        encoding: 'utf-8-sig',
        dialect: { delimiter: ';', lineTerminator: '\r\n', quoteChar: '"', doubleQuote: true },
        schema: OPEN_DATA_FILES.schema,
      },
      { name: 'fiches-xlsx', path: OPEN_DATA_FILES.xlsx, format: 'xlsx' },
      { name: 'fiches-json', path: OPEN_DATA_FILES.json, format: 'json', mediatype: 'application/json' },
      { name: 'fiches-senacs', path: OPEN_DATA_FILES.dump, format: 'txt', mediatype: 'text/plain' },
    ],
  };
}
