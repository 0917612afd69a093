import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffSides } from './publishing.presenter.js';

test('a change of a text shows the words removed on one side and the words added on the other', () => {
  const { before, after } = diffSides(
    'Un jardin tenu par les familles.',
    'Un jardin tenu par les familles et les écoliers.',
  );
  assert.equal(before.map((p) => p.text).join(''), 'Un jardin tenu par les familles.');
  assert.deepEqual(
    before.filter((p) => p.changed),
    [],
  );
  assert.equal(
    after
      .filter((p) => p.changed)
      .map((p) => p.text)
      .join(''),
    ' et les écoliers',
  );
  assert.equal(after.map((p) => p.text).join(''), 'Un jardin tenu par les familles et les écoliers.');
});

test('values with nothing in common, or an empty side, are shown whole', () => {
  assert.deepEqual(diffSides('En cours', 'Terminée'), {
    before: [{ text: 'En cours', changed: false }],
    after: [{ text: 'Terminée', changed: false }],
  });
  assert.deepEqual(diffSides('—', 'Un résumé').after, [{ text: 'Un résumé', changed: false }]);
});
