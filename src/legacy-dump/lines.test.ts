import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Lines } from './lines.js';

/** What the parser read before: the whole text split, each line's carriage return dropped, no empty last line. */
function splitLines(text: string): string[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

describe('Lines', () => {
  const texts = [
    '',
    '\n',
    '\n\n',
    'a',
    'a\n',
    'a\nb',
    'a\r\nb\r\n',
    '\r',
    '\r\n',
    'a\r\r\nb',
    'é’«»\n\nœ\r\n',
    'x\n\r\n',
  ];
  for (const text of texts) {
    it(`reads ${JSON.stringify(text)} as split('\\n') did`, () => {
      const lines = new Lines(text);
      const expected = splitLines(text);
      assert.equal(lines.length, expected.length);
      assert.deepEqual(lines.slice(0, lines.length), expected);
      expected.forEach((line, j) => {
        assert.equal(lines.is(j, line), true);
        assert.equal(lines.is(j, `${line}x`), false);
      });
      assert.equal(lines.at(expected.length), undefined);
      assert.equal(lines.is(expected.length, ''), false);
    });
  }

  it('starts after a byte-order mark and finds the line of a character', () => {
    const lines = new Lines('\uFEFFun\r\ndeux\ntrois', 1);
    assert.deepEqual(lines.slice(0, lines.length), ['un', 'deux', 'trois']);
    assert.equal(lines.lineOf(1), 0);
    assert.equal(lines.lineOf(5), 1);
    assert.equal(lines.lineOf(9), 1);
    assert.equal(lines.lineOf(10), 2);
  });
});
