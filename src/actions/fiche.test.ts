import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffContent, emptyContent, type FicheContent } from './fiche.js';

const base: FicheContent = {
  ...emptyContent(),
  title: 'Jardin partagé',
  summary: null,
  keywords: ['jardin', 'ecologie'],
  partners: [{ code: 'caf', role: 'financial' }],
};

describe('the changes between two versions of a fiche', () => {
  it('records every field of a new fiche, an empty one included', () => {
    const changes = diffContent(null, base);
    assert.deepEqual(changes.title, { before: null, after: 'Jardin partagé' });
    assert.deepEqual(changes.keywords, { before: null, after: ['jardin', 'ecologie'] });
    assert.ok(!('summary' in changes), 'un résumé vide avant comme après ne change pas');
  });

  it('compares lists and objects by their content, texts as they are', () => {
    const same = structuredClone(base);
    assert.deepEqual(diffContent(base, same), {});
    const changed: FicheContent = {
      ...same,
      summary: '',
      keywords: ['ecologie', 'jardin'],
      partners: [{ code: 'caf', role: 'action' }],
    };
    assert.deepEqual(Object.keys(diffContent(base, changed)).sort(), ['keywords', 'partners', 'summary']);
  });
});
