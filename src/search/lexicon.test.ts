import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generatedDump } from '../../bench/lib/dump-file.js';
import { SEED_TEXT } from '../../test/helpers/databases.js';
import { WordCounts } from './lexicon.js';

// The plain reading the scanner must agree with: runs of letters, digits and _ of the
// lower-cased text, 3 characters or more, none with a digit.
function reference(texts: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) {
    const words = new Set(
      [...text.toLowerCase().matchAll(/[\p{L}\p{N}_]+/gu)]
        .map(([w]) => w)
        .filter((w) => w.length >= 3 && !/\p{N}/u.test(w)),
    );
    for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return counts;
}

describe('lexicon words', () => {
  it('reads the words of real fiches as a Unicode word pattern does', () => {
    const texts = [
      ...SEED_TEXT.split(/\n(?=Structure)/),
      ...Buffer.from(generatedDump(300, 4))
        .toString('utf8')
        .split(/\n(?=Structure)/),
    ];
    assert.deepEqual(new WordCounts().add(texts).toMap(), reference(texts));
  });

  it('splits on apostrophes, hyphens and spaces, keeps accents, leaves out digits and short words', () => {
    const texts = [
      'L’été des Aînés : sortie-découverte au Cœur de l’Œuvre, 2 fois ; 3e rencontre ; CAF44 ; ÉTÉ',
      'Émoji 😀 entre deux mots, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 et chiffres arabes ٣٤ ; under_score',
    ];
    const counts = new WordCounts().add(texts).toMap();
    assert.deepEqual(counts, reference(texts));
    assert.equal(counts.get('été'), 1, 'ÉTÉ et été comptent pour un dans la même fiche');
    assert.ok(counts.has('aînés') && counts.has('sortie') && counts.has('découverte') && counts.has('œuvre'));
    assert.ok(counts.has('des') && counts.has('under_score') && counts.has('émoji'));
    for (const word of ['3e', 'caf44', 'de', 'au', 'l', 'fois']) {
      assert.equal(counts.has(word), word === 'fois', word);
    }
  });

  it('tells apart words of the same hash', () => {
    // « bß » and « aþ » hash alike (98 × 31 + 223 = 97 × 31 + 254), and so do these words.
    const counts = new WordCounts().add(['abßc aaþc', 'aaþc']).toMap();
    assert.deepEqual(Object.fromEntries(counts), { abßc: 1, aaþc: 2 });
  });

  it('adds to its counts text after text, each text counting once for each word', () => {
    const counts = new WordCounts().add(['atelier atelier cuisine']).add(['Atelier couture']);
    assert.deepEqual(Object.fromEntries(counts.toMap()), { atelier: 2, cuisine: 1, couture: 1 });
    assert.deepEqual(counts.wordList(), ['atelier', 'cuisine', 'couture']);
    assert.deepEqual(counts.documentCounts(), [2, 1, 1]);
  });
});
