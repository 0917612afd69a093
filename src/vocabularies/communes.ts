import { createRequire } from 'node:module';
import { matchKey } from './normalize.js';

interface EtalabCommune {
  code: string;
  nom: string;
  departement?: string;
  type: string;
  codesPostaux?: string[];
}

/** A commune (or a municipal arrondissement of Paris, Lyon, Marseille) with its INSEE code. */
export interface Commune {
  code: string;
  name: string;
  departementCode: string;
  postalCodes: string[];
}

const require = createRequire(import.meta.url);
let byPostalCode: Map<string, Commune[]> | undefined;

// 8 MB of JSON: read the first time an address is checked, not at start.
function index(): Map<string, Commune[]> {
  if (byPostalCode) return byPostalCode;
  const all = require('@etalab/decoupage-administratif/data/communes.json') as EtalabCommune[];
  byPostalCode = new Map();
  for (const c of all) {
    // Paris, Lyon and Marseille are addressed by arrondissement: their postal codes are theirs.
    if (c.type !== 'commune-actuelle' && c.type !== 'arrondissement-municipal') continue;
    if (!c.departement || !c.codesPostaux) continue;
    const commune = { code: c.code, name: c.nom, departementCode: c.departement, postalCodes: c.codesPostaux };
    for (const postalCode of c.codesPostaux) {
      const list = byPostalCode.get(postalCode) ?? [];
      list.push(commune);
      byPostalCode.set(postalCode, list);
    }
  }
  return byPostalCode;
}

// « St-Jean » and « Saint-Jean » name the same commune.
function nameKey(name: string): string {
  return matchKey(name)
    .replace(/\bste\b\.?/g, 'sainte')
    .replace(/\bst\b\.?/g, 'saint');
}

/** The communes that a postal code serves, in name order. */
export function communesOfPostalCode(postalCode: string): Commune[] {
  return [...(index().get(postalCode) ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

/**
 * The commune a postal code and a name designate, ignoring case, accents, hyphens and « St » for
 * « Saint »; with a name left empty, the only commune of the postal code when it has one.
 */
export function findCommune(postalCode: string, name: string): Commune | undefined {
  const candidates = communesOfPostalCode(postalCode);
  const key = nameKey(name);
  if (key === '') return candidates.length === 1 ? candidates[0] : undefined;
  return (
    candidates.find((c) => nameKey(c.name) === key) ??
    // « Paris » for « Paris 11e Arrondissement », when the postal code leaves one choice.
    (candidates.length === 1 && nameKey(candidates[0].name).startsWith(`${key} `) ? candidates[0] : undefined)
  );
}
