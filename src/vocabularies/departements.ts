import { createRequire } from 'node:module';
import { matchKey } from './normalize.js';

interface EtalabArea {
  code: string;
  nom: string;
  region?: string;
  zone: 'metro' | 'drom' | 'com';
}

export interface Departement {
  code: string;
  name: string;
  regionCode: string;
}

export interface Region {
  code: string;
  name: string;
}

const require = createRequire(import.meta.url);
const areas = require('@etalab/decoupage-administratif/data/departements.json') as EtalabArea[];
const regionAreas = require('@etalab/decoupage-administratif/data/regions.json') as EtalabArea[];

// The 101 départements: metropolitan France and the five overseas départements-régions.
/** Every French département with its INSEE code and région, from the official data package. */
export const DEPARTEMENTS: readonly Departement[] = areas
  .filter((a) => a.zone !== 'com')
  .map((a) => ({ code: a.code, name: a.nom, regionCode: a.region as string }));

/** The régions that hold those départements. */
export const REGIONS: readonly Region[] = regionAreas
  .filter((r) => r.zone !== 'com')
  .map((r) => ({ code: r.code, name: r.nom }));

const byKey = new Map(DEPARTEMENTS.map((d) => [matchKey(d.name), d]));

/** Finds a département by its name, ignoring case, accents and hyphens ("tarn et garonne" → 82). */
export function findDepartementByName(name: string): Departement | undefined {
  return byKey.get(matchKey(name));
}
