// French typography for every text a user reads: non-breaking spaces where French wants them.

const NBSP = '\u00a0';

/** « text » with the non-breaking spaces French quotation marks take. */
export function quote(text: string): string {
  return `«${NBSP}${text}${NBSP}»`;
}

/** Replaces the plain space before : ; ? ! and inside « » with a non-breaking one. */
export function frenchSpacing(text: string): string {
  return text.replace(/ ([:;?!»])/g, `${NBSP}$1`).replace(/« /g, `«${NBSP}`);
}

/** Shortens a text for a message, with an ellipsis when cut. */
export function excerpt(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const sizeFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

/**
 * A file size as French users read it (« 240 ko », « 1,2 Mo »), in the 1 024-based units their
 * file explorer shows, so that a file it calls 10 Mo is within a 10 Mo limit.
 */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes}${NBSP}octets`;
  if (bytes < 1024 * 1024) return `${sizeFormat.format(Math.round(bytes / 1024))}${NBSP}ko`;
  return `${sizeFormat.format(bytes / (1024 * 1024))}${NBSP}Mo`;
}

// The group separator of French numbers as Intl writes them (a narrow non-breaking space).
const GROUP = '\u202f';

/**
 * A whole count as `toLocaleString('fr-FR')` writes it (« 12 345 »), several times faster: a
 * results page writes one for each of its 171 facet values.
 */
export function formatCount(count: number): string {
  if (!Number.isSafeInteger(count) || count < 0) return count.toLocaleString('fr-FR');
  let digits = String(count);
  let out = '';
  while (digits.length > 3) {
    out = GROUP + digits.slice(-3) + out;
    digits = digits.slice(0, -3);
  }
  return digits + out;
}

const EUROS = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
const EUROS_CENTS = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', minimumFractionDigits: 2 });

/** "5 647 €", "4 256,95 €": cents only when there are some, French separators (non-breaking). */
export function formatEuros(amount: number): string {
  return (Number.isInteger(amount) ? EUROS : EUROS_CENTS).format(amount);
}

// A word that begins with one of these takes « qu’ », « l’ », « d’ » before it. A mute h is left
// out: « la Halle » and « l’Hermitage » cannot be told apart from the letters.
const VOWEL_START = /^[aeiouyàâäéèêëîïôöûùüÿæœ]/i;

/** « que » as it is written before `word`: « qu’ » before a vowel (« qu’Émilie »), else « que ». */
export function queBefore(word: string): 'qu’' | 'que ' {
  return VOWEL_START.test(word) ? 'qu’' : 'que ';
}
