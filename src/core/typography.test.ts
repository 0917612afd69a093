import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCount, frenchSpacing, queBefore } from './typography.js';

describe('French typography', () => {
  it('elides « que » before a vowel, accented or capital, and not before a consonant', () => {
    const greeting = (name: string) => `Connecté en tant ${queBefore(name)}${name}`;
    assert.equal(greeting('Émilie'), 'Connecté en tant qu’Émilie');
    assert.equal(greeting('anne@centre.test'), 'Connecté en tant qu’anne@centre.test');
    assert.equal(greeting('Œdipe'), 'Connecté en tant qu’Œdipe');
    assert.equal(greeting('Jean'), 'Connecté en tant que Jean');
  });

  it('puts a non-breaking space before « : ; ? ! » and inside « »', () => {
    assert.equal(frenchSpacing('Budget : 5 € ; « oui » ?'), 'Budget\u00a0: 5 €\u00a0; «\u00a0oui\u00a0»\u00a0?');
  });

  it('writes counts as Intl writes them in French, narrow non-breaking space between thousands', () => {
    const counts = [0, 7, 999, 1000, 12_345, 100_000, 1_234_567, 2 ** 40, -5, 2.5];
    for (let n = 1; n < 1e15; n *= 7) counts.push(n);
    for (const n of counts) assert.equal(formatCount(n), n.toLocaleString('fr-FR'), String(n));
    assert.equal(formatCount(1_234_567), '1\u202f234\u202f567');
  });
});
