import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEPARTEMENTS, findDepartementByName, REGIONS } from './departements.js';

describe('départements', () => {
  it('lists the 101 départements with their région', () => {
    assert.equal(DEPARTEMENTS.length, 101);
    const regions = new Set(REGIONS.map((r) => r.code));
    assert.ok(DEPARTEMENTS.every((d) => regions.has(d.regionCode)));
    assert.equal(REGIONS.length, 18);
  });

  it('finds a département by name whatever its case, accents and hyphens', () => {
    assert.equal(findDepartementByName('Tarn-et-Garonne')?.code, '82');
    assert.equal(findDepartementByName('Haute-Corse')?.code, '2B');
    assert.equal(findDepartementByName('Guadeloupe')?.code, '971');
    assert.equal(findDepartementByName('tarn et garonne')?.code, '82');
    assert.equal(findDepartementByName('COTE D’OR')?.code, '21');
    assert.equal(findDepartementByName('Atlantide'), undefined);
  });
});
