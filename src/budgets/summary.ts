import { formatEuros, frenchSpacing } from '../core/typography.js';
import { type Budget, extractBudget, type Figure } from './extract.js';

// The budget as a reader sees it, in one place for the fiche's page, its panel and the editor's
// preview (bundled into the browser's script too: no Node.js here).

const CONFIDENCE_NOTES = {
  high: '',
  medium: ' (lu dans le texte)',
  low: ' (approximatif)',
} as const;

function amount(figure: Figure): string {
  return frenchSpacing(`${formatEuros(figure.amount)}${CONFIDENCE_NOTES[figure.confidence]}`);
}

/**
 * The budget in one line: the overall amount, and the charges and products only when they
 * differ (a balanced budget would say the same figure three times). Null without an amount.
 */
export function budgetLine(budget: Budget): string | null {
  const { total, charges, products } = budget;
  if (!total) return null;
  const detail =
    charges && products && charges.amount !== products.amount
      ? ` (charges ${amount(charges)}, produits ${amount(products)})`
      : '';
  return `${amount(total)}${detail}`;
}

/** Each funder the text names, with its amount when it gives one: « CARSAT : 2 000 € ». */
export function funderLines(budget: Budget): string[] {
  return budget.funders.map((f) =>
    f.amount === null ? f.label : frenchSpacing(`${f.label} : ${formatEuros(f.amount)}`),
  );
}

/**
 * What the catalogue reads from a resources text, as the editor shows it while it is typed:
 * « Budget lu : 5 647 € · financeurs : CARSAT 2 000 € ».
 */
export function budgetPreview(text: string | null): string {
  const budget = extractBudget(text);
  const { total } = budget;
  if (!total) {
    return budget.funders.length > 0
      ? frenchSpacing(`Aucun montant lu pour l’instant · financeurs : ${budget.funders.map((f) => f.label).join(', ')}`)
      : frenchSpacing('Aucun montant lu pour l’instant : écrivez par exemple « Charges : 5 647 € ».');
  }
  const funders = funderLines(budget).map((f) => f.replace(/\u00a0: /, ' '));
  const line = `${formatEuros(total.amount)}${total.confidence === 'low' ? CONFIDENCE_NOTES.low : ''}`;
  return frenchSpacing(`Budget lu : ${line}${funders.length > 0 ? ` · financeurs : ${funders.join(', ')}` : ''}`);
}
