import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkableTerms, parseQuery, rewriteQuery, SynonymIndex } from './query.js';

const synonyms = new SynonymIndex([
  ['aînés', 'seniors', 'personnes âgées'],
  ['numérique', 'informatique'],
]);

const shape = (q: string) =>
  parseQuery(q, synonyms).map((group) =>
    group.map(
      (t) => `${t.negated ? '-' : ''}${t.quoted ? '"' : ''}${t.words.join(' ')}${t.synonyms.length ? '+' : ''}`,
    ),
  );

describe('parseQuery', () => {
  it('reads words, quoted phrases, exclusions and OR as websearch does', () => {
    assert.deepEqual(shape('jardin partagé'), [['jardin'], ['partagé']]);
    assert.deepEqual(shape('"jardin partagé" -potager'), [['"jardin partagé'], ['-potager']]);
    assert.deepEqual(shape('jardin or théâtre cuisine'), [['jardin', 'théâtre'], ['cuisine']]);
    assert.deepEqual(shape('OR jardin'), [['jardin']]);
    assert.deepEqual(shape('  "non fermé'), [['"non fermé']]);
    assert.deepEqual(shape('!!! ... ---'), []);
  });

  it('widens words and multi-word terms to their synonyms, whatever accents, case and plural', () => {
    assert.deepEqual(shape('Aines numériques'), [['Aines+'], ['numériques+']]);
    assert.deepEqual(shape('personnes âgées isolées'), [['personnes âgées+'], ['isolées']]);
    const [[term]] = parseQuery('senior', synonyms);
    assert.deepEqual(term.synonyms, ['aînés', 'personnes âgées']);
    // Quotes mean "exactly this": no synonyms.
    assert.deepEqual(shape('"seniors"'), [['"seniors']]);
  });

  it('rewrites the unknown words of a query for a suggestion', () => {
    const query = parseQuery('atelier vieillisement -ehpad', synonyms);
    const terms = checkableTerms(query);
    assert.deepEqual(
      terms.map((t) => t.words[0]),
      ['atelier', 'vieillisement'],
    );
    assert.equal(
      rewriteQuery('atelier vieillisement -ehpad', [{ term: terms[1], by: 'vieillissement' }]),
      'atelier vieillissement -ehpad',
    );
  });
});
