import type { Kysely } from 'kysely';
import { findActionId, insertAction, insertHistory, loadFiches, updateAction } from '../actions/actions.repository.js';
import { diffContent, type FicheContent, inferStructureKind, pickFreeText } from '../actions/fiche.js';
import type { Database, Db, VocabularyTableName } from '../db/database.js';
import { indexActions } from '../search/search.service.js';
import { findStructureId, insertStructure } from '../structures/structures.repository.js';
import { findDepartementByName } from '../vocabularies/departements.js';
import { VocabularyResolver } from '../vocabularies/vocabularies.service.js';
import { frenchSpacing, quote } from '../web/typography.js';
import type { DumpFiche, FieldKey } from './format.js';
import { type DumpProblem, parseDump } from './parser.js';

export interface ImportOptions {
  /** Runs the whole import, then rolls it back: the summary says what would happen. */
  dryRun?: boolean;
  /** Who imports, for the history. */
  actor?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface ImportSummary {
  fiches: number;
  created: number;
  updated: number;
  unchanged: number;
  warnings: DumpProblem[];
  dryRun: boolean;
}

/** A dump that cannot be imported; nothing was written. */
export class DumpImportError extends Error {
  constructor(readonly problems: DumpProblem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

/** "Ligne 12 (fiche « Titre ») : message", with French spacing. */
export function formatProblem(problem: DumpProblem): string {
  const where = problem.fiche ? `Ligne ${problem.line} (fiche ${quote(problem.fiche)})` : `Ligne ${problem.line}`;
  return frenchSpacing(`${where} : ${problem.message}`);
}

const VOCABULARY_NAMES: Record<VocabularyTableName, string> = {
  statuses: 'Statut',
  dimensions: 'Dimension',
  keywords: 'Mots clés',
  initiatives: 'Initiative',
  territories: 'Territoire',
  publics: 'Public',
  partners: 'Partenaires',
};

class DryRunRollback extends Error {}

/**
 * Imports a dump in one transaction: every fiche or none. A fiche is identified by its
 * structure and title, so importing the same file again changes nothing.
 */
export async function importDump(
  db: Kysely<Database>,
  input: string | Uint8Array,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const parsed = parseDump(input);
  if (parsed.errors.length > 0) throw new DumpImportError(parsed.errors);
  const summary: ImportSummary = {
    fiches: parsed.fiches.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    warnings: [...parsed.warnings],
    dryRun: options.dryRun === true,
  };
  const actor = options.actor ?? 'import';
  try {
    await db.transaction().execute(async (trx) => {
      const errors: DumpProblem[] = [];
      const resolver = await VocabularyResolver.load(trx);
      const seen = new Map<string, number>();
      const changed: number[] = [];
      for (const [index, fiche] of parsed.fiches.entries()) {
        const departement = findDepartementByName(fiche.departementName);
        if (!departement) {
          errors.push({
            line: (fiche.labelLines.structure ?? fiche.line) + 1,
            fiche: fiche.title,
            message: `département inconnu ${quote(fiche.departementName)}.`,
          });
          continue;
        }
        const key = `${departement.code}\u0000${fiche.structureName}\u0000${fiche.title}`;
        const firstLine = seen.get(key);
        if (firstLine !== undefined) {
          errors.push({
            line: fiche.line,
            fiche: fiche.title,
            message: `cette fiche figure déjà ligne ${firstLine} (même structure, même titre).`,
          });
          continue;
        }
        seen.set(key, fiche.line);
        const resolve: Resolve = async (table, label, field) => {
          const { code, created } = await resolver.resolve(table, label);
          if (created) {
            summary.warnings.push({
              line: fiche.labelLines[field] ?? fiche.line,
              fiche: fiche.title,
              message: `valeur inconnue ${quote(label)} ajoutée au vocabulaire ${quote(VOCABULARY_NAMES[table])}, à vérifier.`,
            });
          }
          return code;
        };
        const content = await toContent(fiche, resolve);
        const changedId = await saveFiche(
          trx,
          summary,
          { ...departement, structureName: fiche.structureName },
          content,
          actor,
        );
        if (changedId !== undefined) changed.push(changedId);
        options.onProgress?.(index + 1, parsed.fiches.length);
      }
      if (errors.length > 0) throw new DumpImportError(errors);
      await indexActions(trx, changed);
      if (summary.dryRun) throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
  return summary;
}

type Resolve = (table: VocabularyTableName, label: string, field: FieldKey) => Promise<string>;

async function toContent(fiche: DumpFiche, resolve: Resolve): Promise<FicheContent> {
  const one = (table: VocabularyTableName, label: string | null, field: FieldKey) =>
    label === null ? Promise.resolve(null) : resolve(table, label, field);
  const many = async (table: VocabularyTableName, labels: string[], field: FieldKey) => {
    const codes: string[] = [];
    for (const label of labels) {
      const code = await resolve(table, label, field);
      if (!codes.includes(code)) codes.push(code);
    }
    return codes;
  };
  const partners: FicheContent['partners'] = [];
  for (const p of fiche.partners) {
    const code = await resolve('partners', p.name, 'partners');
    if (!partners.some((q) => q.code === code && q.role === p.role)) partners.push({ code, role: p.role });
  }
  return {
    title: fiche.title,
    legacyAttachmentNames: fiche.attachments ?? [],
    hasAttachmentsLine: fiche.attachments !== null,
    status: await one('statuses', fiche.status, 'status'),
    endReason: fiche.endReason ?? null,
    dimension: await one('dimensions', fiche.dimension, 'dimension'),
    keywords: await many('keywords', fiche.keywords, 'keywords'),
    initiatives: await many('initiatives', fiche.initiatives, 'initiatives'),
    initiativeDetail: fiche.initiativeDetail ?? null,
    territory: await one('territories', fiche.territory, 'territory'),
    publics: await many('publics', fiche.publics, 'publics'),
    partners,
    partnersTerritory: await one('territories', fiche.partnersTerritory, 'partnersTerritory'),
    ...pickFreeText(fiche),
  };
}

/** Saves one fiche with its history row; returns its id when it was created or changed. */
async function saveFiche(
  trx: Db,
  summary: ImportSummary,
  structure: { code: string; structureName: string },
  content: FicheContent,
  actor: string,
): Promise<number | undefined> {
  let structureId = await findStructureId(trx, structure.structureName, structure.code);
  structureId ??= await insertStructure(trx, {
    name: structure.structureName,
    departementCode: structure.code,
    kind: inferStructureKind(structure.structureName),
  });
  const existingId = await findActionId(trx, structureId, content.title);
  if (existingId === undefined) {
    const id = await insertAction(trx, structureId, content);
    await insertHistory(trx, {
      actionId: id,
      actor,
      source: 'import',
      operation: 'create',
      changes: diffContent(null, content),
    });
    summary.created++;
    return id;
  }
  const [existing] = await loadFiches(trx, [existingId]);
  const changes = diffContent(existing, content);
  if (Object.keys(changes).length === 0) {
    summary.unchanged++;
    return undefined;
  }
  await updateAction(trx, existingId, content);
  await insertHistory(trx, { actionId: existingId, actor, source: 'import', operation: 'update', changes });
  summary.updated++;
  return existingId;
}
