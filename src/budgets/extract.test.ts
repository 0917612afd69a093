import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SEED } from '../../test/helpers/databases.js';
import { parseDump } from '../legacy-dump/parser.js';
import { type Budget, extractBudget, KNOWN_FUNDERS } from './extract.js';

interface Expected {
  /** A seed fiche, by title; or a text written the ways centres write them. */
  title?: string;
  text?: string;
  charges: number | null;
  products: number | null;
  total: number | null;
  funders: Array<[string, number | null]>;
  volunteering: number | null;
}

const expected: Expected[] = JSON.parse(
  readFileSync(new URL('../../test/fixtures/seed-budgets.json', import.meta.url), 'utf8'),
).fiches;

const totals = (b: Budget) => [b.charges?.amount ?? null, b.products?.amount ?? null, b.total?.amount ?? null];
const funders = (b: Budget) => b.funders.map((f) => [f.code ?? f.label, f.amount]);
const knownCodes = new Set(KNOWN_FUNDERS.map((f) => f.code));

describe('budget extraction', () => {
  const fiches = parseDump(SEED).fiches;
  const cases = expected.map((e) => {
    const fiche = e.title === undefined ? undefined : fiches.find((f) => f.title === e.title);
    assert.ok(e.text !== undefined || fiche, `no seed fiche titled ${e.title}`);
    const text = e.text ?? fiche?.financialResources ?? null;
    return { expected: e, name: e.title ?? e.text?.slice(0, 60), budget: extractBudget(text) };
  });

  it('reads the totals of all but at most 3 of the 60 texts checked by hand', (t) => {
    assert.ok(cases.length >= 60, `${cases.length} texts`);
    const misses = cases.filter((c) => {
      const e = c.expected;
      return JSON.stringify(totals(c.budget)) !== JSON.stringify([e.charges, e.products, e.total]);
    });
    for (const m of misses) {
      const e = m.expected;
      t.diagnostic(
        `totals mismatch « ${m.name} »: expected ${JSON.stringify([e.charges, e.products, e.total])}, read ${JSON.stringify(totals(m.budget))}`,
      );
    }
    t.diagnostic(`totals: ${cases.length - misses.length}/${cases.length} as expected`);
    assert.ok(misses.length <= 3, `${misses.length} mismatches`);
  });

  it('never invents a funder, and reads every known funder’s stated amount', (t) => {
    const wrong: string[] = [];
    for (const c of cases) {
      const read = funders(c.budget);
      for (const [name, amount] of read) {
        if (!c.expected.funders.some(([n]) => n === name)) wrong.push(`« ${c.name} »: ${name} (${amount}) invented`);
      }
      for (const [name, amount] of c.expected.funders) {
        if (!knownCodes.has(name) || amount === null) continue;
        const got = read.find(([n]) => n === name);
        if (got?.[1] !== amount) wrong.push(`« ${c.name} »: ${name} ${amount} expected, read ${got?.[1] ?? 'nothing'}`);
      }
    }
    for (const w of wrong) t.diagnostic(w);
    assert.deepEqual(wrong, []);
  });

  it('names the funders the texts state, with their amounts, for all but 3 texts', (t) => {
    const misses = cases.filter(
      (c) => JSON.stringify([...funders(c.budget)].sort()) !== JSON.stringify([...c.expected.funders].sort()),
    );
    for (const m of misses) {
      t.diagnostic(
        `funders mismatch « ${m.name} »: expected ${JSON.stringify(m.expected.funders)}, read ${JSON.stringify(funders(m.budget))}`,
      );
    }
    t.diagnostic(`funders: ${cases.length - misses.length}/${cases.length} as expected`);
    assert.ok(misses.length <= 3, `${misses.length} mismatches`);
  });

  it('keeps the valued volunteers’ time apart from the funders', () => {
    for (const c of cases) assert.equal(c.budget.volunteering, c.expected.volunteering ?? null, c.name);
    assert.ok(cases.every((c) => c.budget.funders.every((f) => !/b[ée]n[ée]vol/i.test(f.label))));
  });

  it('labels funders as the partners vocabulary does', () => {
    assert.deepEqual(
      extractBudget('Recettes :\n- Caf : 900 €\n- CARSAT : 100 €').funders.map((f) => f.label),
      ['Caf', 'CARSAT'],
    );
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
