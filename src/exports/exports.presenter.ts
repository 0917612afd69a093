import type { FicheJson } from '../actions/actions.presenter.js';

/** What joins the values of a multi-valued field in one cell. */
export const LIST_SEPARATOR = ' | ';

type Column = {
  header: string;
  value: (fiche: FicheJson, publicUrl: string) => string | number | null;
  width?: number;
};

const list = (values: Array<{ label: string }>) => values.map((v) => v.label).join(LIST_SEPARATOR);
const partners = (fiche: FicheJson, role: 'action' | 'financial') =>
  list(fiche.partners.filter((p) => p.role === role));

/**
 * The columns of the spreadsheet exports (CSV and XLSX), one row per fiche, in the source's
 * field order, with the budget read from the resources text after it.
 */
export const SHEET_COLUMNS: Column[] = [
  { header: 'Identifiant', value: (f) => f.id, width: 10 },
  { header: 'Adresse', value: (f, base) => `${base}${f.url}`, width: 30 },
  { header: 'Titre', value: (f) => f.title, width: 40 },
  { header: 'Structure organisatrice', value: (f) => f.structure.name, width: 30 },
  { header: 'Code département', value: (f) => f.structure.department.code, width: 10 },
  { header: 'Département', value: (f) => f.structure.department.name, width: 18 },
  { header: 'Région', value: (f) => f.structure.department.region?.name ?? null, width: 18 },
  { header: 'Fichier(s) associé(s)', value: (f) => f.attachments.map((a) => a.fileName).join(LIST_SEPARATOR) },
  { header: 'Statut de l’action', value: (f) => f.status?.label ?? null, width: 12 },
  { header: 'Raisons pour lesquelles l’action est terminée', value: (f) => f.endReason },
  { header: 'Dimension', value: (f) => f.dimension?.label ?? null, width: 18 },
  { header: 'Mots clés', value: (f) => list(f.keywords), width: 30 },
  { header: 'Résumé', value: (f) => f.summary, width: 60 },
  { header: 'À l’initiative de', value: (f) => list(f.initiatives), width: 24 },
  { header: 'Précision (si autre)', value: (f) => f.initiativeDetail },
  { header: 'Territoire concerné', value: (f) => f.territory?.label ?? null, width: 18 },
  { header: 'Description de l’expérience', value: (f) => f.experience, width: 60 },
  { header: 'Public', value: (f) => list(f.publics), width: 24 },
  { header: 'Partenaires d’action', value: (f) => partners(f, 'action'), width: 24 },
  { header: 'Partenaires financiers', value: (f) => partners(f, 'financial'), width: 24 },
  { header: 'Territoire du partenariat', value: (f) => f.partnersTerritory?.label ?? null, width: 18 },
  { header: 'Description générale', value: (f) => f.generalDescription, width: 60 },
  { header: 'Ressources financières mobilisées', value: (f) => f.financialResources, width: 60 },
  { header: 'Budget (€)', value: (f) => f.budget.total?.amount ?? null, width: 12 },
  { header: 'Charges (€)', value: (f) => f.budget.charges?.amount ?? null, width: 12 },
  { header: 'Produits (€)', value: (f) => f.budget.products?.amount ?? null, width: 12 },
  {
    header: 'Financeurs cités',
    value: (f) =>
      f.budget.funders
        .map((x) => (x.amount === null ? x.label : `${x.label} (${x.amount.toLocaleString('fr-FR')} €)`))
        .join(LIST_SEPARATOR),
    width: 30,
  },
  { header: 'Valorisation du bénévolat (€)', value: (f) => f.budget.volunteering, width: 12 },
  { header: 'Nombre de personnes mobilisées', value: (f) => f.peopleMobilised, width: 30 },
  { header: 'Résultat sur le territoire', value: (f) => f.results.territory, width: 40 },
  { header: 'Résultat pour le centre social', value: (f) => f.results.socialCentre, width: 40 },
  { header: 'Résultat pour les habitants', value: (f) => f.results.inhabitants, width: 40 },
  { header: 'Limites', value: (f) => f.followUp.limits, width: 40 },
  { header: 'Perspectives', value: (f) => f.followUp.perspectives, width: 40 },
  { header: 'Date de publication', value: (f) => f.publishedAt?.slice(0, 10) ?? null, width: 12 },
  { header: 'Mise à jour', value: (f) => f.updatedAt?.slice(0, 10) ?? null, width: 12 },
];

// OWASP's advice against CSV injection: a cell that starts with "=", "+", "-", "@", a tab or a
// carriage return is run as a formula by Excel (LibreOffice only runs "="), so it gets a leading
// apostrophe. Two kinds stay as written, so that they read back exactly: a plain number ("-2",
// "+33") and a line that starts with "- " (a bullet: budgets and lists in fiches do it all the
// time). Quoting does not help here: the spreadsheet reads the cell's content, quotes removed.
const FORMULA_START = /^[=+\-@\t\r]/;
const SAFE_START = /^(?:- |[+-]?\d+(?:[.,]\d+)?$)/;

/** The cell's text, guarded when a spreadsheet would evaluate it. */
export function guardFormula(value: string): string {
  return FORMULA_START.test(value) && !SAFE_START.test(value) ? `'${value}` : value;
}

/** A fiche as one CSV row: the columns above, numbers written the French way. */
export function csvRow(fiche: FicheJson, publicUrl: string): string[] {
  return SHEET_COLUMNS.map((column) => {
    const value = column.value(fiche, publicUrl);
    if (value === null) return '';
    if (typeof value === 'number') return value.toLocaleString('fr-FR', { useGrouping: false });
    return guardFormula(value);
  });
}

/** A fiche as one spreadsheet row: typed cells, so that nothing is read as a formula. */
export function sheetRow(fiche: FicheJson, publicUrl: string): Array<string | number | null> {
  return SHEET_COLUMNS.map((column) => column.value(fiche, publicUrl));
}
