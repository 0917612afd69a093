import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frenchSpacing, queBefore } from './typography.js';

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
});
