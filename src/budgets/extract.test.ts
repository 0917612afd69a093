import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SEED } from '../../test/helpers/databases.js';
import { parseDump } from '../legacy-dump/parser.js';
import { type Budget, extractBudget } from './extract.js';

interface Expected {
  title: string;
  charges: number | null;
  products: number | null;
  total: number | null;
  funders: Array<[string, number | null]>;
}

const expected: Expected[] = JSON.parse(
  readFileSync(new URL('../../test/fixtures/seed-budgets.json', import.meta.url), 'utf8'),
).fiches;

const totals = (b: Budget) => [b.charges?.amount ?? null, b.products?.amount ?? null, b.total?.amount ?? null];
const funders = (b: Budget) => b.funders.map((f) => [f.code ?? f.label, f.amount]);

describe('budget extraction', () => {
  const fiches = parseDump(SEED).fiches;
  const cases = expected.map((e) => {
    const fiche = fiches.find((f) => f.title === e.title);
    assert.ok(fiche, `no seed fiche titled ${e.title}`);
    return { expected: e, budget: extractBudget(fiche.financialResources) };
  });

  it('reads the totals of at least 23 of the 25 seed fiches as checked by hand', (t) => {
    assert.equal(cases.length, 25);
    const misses = cases.filter((c) => {
      const e = c.expected;
      return JSON.stringify(totals(c.budget)) !== JSON.stringify([e.charges, e.products, e.total]);
    });
    for (const m of misses) {
      const e = m.expected;
      t.diagnostic(
        `totals mismatch « ${e.title} »: expected ${JSON.stringify([e.charges, e.products, e.total])}, read ${JSON.stringify(totals(m.budget))}`,
      );
    }
    t.diagnostic(`totals: ${25 - misses.length}/25 as expected`);
    assert.ok(misses.length <= 2, `${misses.length} mismatches`);
  });

  it('names the funders the texts state, with their amounts, for most seed fiches', (t) => {
    const misses = cases.filter(
      (c) => JSON.stringify([...funders(c.budget)].sort()) !== JSON.stringify([...c.expected.funders].sort()),
    );
    for (const m of misses) {
      t.diagnostic(
        `funders mismatch « ${m.expected.title} »: expected ${JSON.stringify(m.expected.funders)}, read ${JSON.stringify(funders(m.budget))}`,
      );
    }
    t.diagnostic(`funders: ${25 - misses.length}/25 as expected`);
    assert.ok(misses.length <= 3, `${misses.length} mismatches`);
  });

  it('never makes up a budget: no amount, no figure', () => {
    for (const text of [
      null,
      '',
      'Uniquement les frais de personnel',
      'financé par la CARSAT à 50 %',
      '2 ateliers par semaine en 2019',
    ]) {
      const budget = extractBudget(text);
      assert.deepEqual([budget.charges, budget.products, budget.total], [null, null, null], String(text));
    }
  });

  it('reads the French number formats of the fiches', () => {
    const cases: Array<[string, number]> = [
      ['1 404,08 €', 1404.08],
      ['38 297.47€', 38297.47],
      ['20 000€', 20000],
      ['4410€', 4410],
      ['7 290 €', 7290],
      ['2\u00a0704,08\u00a0€', 2704.08],
      ['1.500 €', 1500],
      ['1500 euros', 1500],
    ];
    for (const [text, amount] of cases) assert.equal(extractBudget(text).total?.amount, amount, text);
  });

  it('grades its confidence: a labelled total is sure, a sentence less, an approximation least', () => {
    assert.deepEqual(extractBudget('Dépenses :\nSalle : 200€\nTotal : 1 200 €').charges, {
      amount: 1200,
      confidence: 'high',
    });
    assert.deepEqual(extractBudget('Un coût global de 4410€ cette année.').charges, {
      amount: 4410,
      confidence: 'medium',
    });
    assert.deepEqual(extractBudget('environ 5000€ /an').total, { amount: 5000, confidence: 'low' });
  });
});
