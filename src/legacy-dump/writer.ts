import {
  ACTION_PARTNERS_HEADING,
  type DumpFiche,
  FICHE_START,
  FIELDS,
  FINANCIAL_PARTNERS_HEADING,
  HEADER,
  LIST_OPENER,
  labelLine,
} from './format.js';

/** Writes fiches in the observatory's plain-text format, as its own export does (no final newline). */
export function writeDump(fiches: Iterable<DumpFiche>): string {
  const out = [HEADER];
  for (const fiche of fiches) out.push(...ficheLines(fiche));
  return out.join('\n');
}

/** The lines of one fiche, from its "Actions" line on. */
export function ficheLines(fiche: DumpFiche): string[] {
  const out = [FICHE_START, fiche.title];
  for (const spec of FIELDS) {
    const key = spec.key;
    if (key === 'attachments' && fiche.attachments === null) continue;
    if ((key === 'endReason' || key === 'initiativeDetail') && fiche[key] === undefined) continue;
    out.push(labelLine(spec));
    switch (spec.kind) {
      case 'text': {
        const value = fiche[spec.key];
        if (value !== null && value !== undefined) out.push(...value.split('\n'));
        break;
      }
      case 'single': {
        const value = spec.key === 'structure' ? `${fiche.structureName} - ${fiche.departementName}` : fiche[spec.key];
        if (value !== null) out.push(`- ${value}`);
        break;
      }
      case 'list':
        if (spec.opener) out.push(LIST_OPENER);
        for (const value of fiche[spec.key] ?? []) out.push(`- ${value}`);
        break;
      case 'partners':
        out.push(LIST_OPENER);
        for (const [role, heading] of [
          ['action', ACTION_PARTNERS_HEADING],
          ['financial', FINANCIAL_PARTNERS_HEADING],
        ] as const) {
          const names = fiche.partners.filter((p) => p.role === role).map((p) => p.name);
          // The source always writes the action partners' heading, even with none under it.
          if (names.length > 0 || role === 'action') out.push(heading, ...names.map((n) => `- ${n}`));
        }
        break;
    }
  }
  return out;
}
