const PARIS_MONTH = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit' });
const MONTH_NAME = new Intl.DateTimeFormat('fr-FR', { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** The month of a moment in Paris, as "2026-12". */
export function parisMonth(at: Date): string {
  return PARIS_MONTH.format(at).slice(0, 7);
}

/** The `count` months up to the one of `at`, oldest first, as "2026-01". */
export function lastMonths(at: Date, count: number): string[] {
  const [year, month] = parisMonth(at).split('-').map(Number);
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(year, month - 1 - (count - 1 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}

/** A month as a French reader writes it short: « déc. 2026 ». */
export function monthLabel(month: string): string {
  return MONTH_NAME.format(new Date(`${month}-01T00:00:00Z`));
}
