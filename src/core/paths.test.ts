import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fichePath, idFromSegment, structurePath } from './paths.js';

describe('page addresses', () => {
  it('transliterate French and other letters instead of dropping them', () => {
    assert.equal(fichePath(7, 'Œuvre commune : l’été des « aînés » !'), '/actions/7-oeuvre-commune-l-ete-des-aines');
    assert.equal(fichePath(8, 'Cœur de ville & Straße, Æsope'), '/actions/8-coeur-de-ville-et-strasse-aesope');
    assert.equal(structurePath(3, 'Maison pour tous « L’Œil »'), '/structures/3-maison-pour-tous-l-oeil');
    assert.equal(fichePath(9, '« »'), '/actions/9-fiche');
  });

  it('keep finding a page by its id under the addresses it had before', () => {
    // « Œuvre commune » once gave "-uvre-commune-".
    assert.equal(idFromSegment('12--uvre-commune-'), 12);
    assert.equal(idFromSegment('12-oeuvre-commune'), 12);
  });
});
