// The export formats and how each is served: light enough for the command line's options and
// the pages' links, which need not load the exporters.

/** Every export format; NDJSON is for programs, through the API. */
export const EXPORT_FORMATS = ['csv', 'xlsx', 'json', 'ndjson', 'dump'] as const;
/** One of EXPORT_FORMATS. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** The formats the site's pages offer a reader. */
export const PAGE_EXPORT_FORMATS = ['csv', 'xlsx', 'json', 'dump'] as const satisfies readonly ExportFormat[];

/** How each format is served and named; the label is what a reader is offered. */
export const EXPORT_TYPES: Record<ExportFormat, { mediaType: string; extension: string; label: string }> = {
  csv: { mediaType: 'text/csv; charset=utf-8', extension: 'csv', label: 'Tableur CSV' },
  xlsx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extension: 'xlsx',
    label: 'Tableur Excel (XLSX)',
  },
  json: { mediaType: 'application/json; charset=utf-8', extension: 'json', label: 'Données JSON' },
  ndjson: { mediaType: 'application/x-ndjson; charset=utf-8', extension: 'ndjson', label: 'NDJSON' },
  dump: { mediaType: 'text/plain; charset=utf-8', extension: 'txt', label: 'Format SENACS (texte)' },
};
