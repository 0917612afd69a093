/**
 * Folds a label for matching: no accents, lower case, straight apostrophes, single spaces,
 * hyphens as spaces. "Côte-d’Or" and "cote d'or" give the same key.
 */
export function matchKey(label: string): string {
  return label
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[’‘`´]/g, "'")
    .replace(/[-‐‑–—]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Makes a stable code from a label: "Mixité sociale" gives "mixite-sociale". */
export function slugify(label: string): string {
  return (
    matchKey(label)
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'valeur'
  );
}
