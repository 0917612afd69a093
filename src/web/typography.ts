// French typography for every text a user reads: non-breaking spaces where French wants them.

const NBSP = '\u00a0';

/** « text » with the non-breaking spaces French quotation marks take. */
export function quote(text: string): string {
  return `«${NBSP}${text}${NBSP}»`;
}

/** Replaces the plain space before : ; ? ! with a non-breaking one. */
export function frenchSpacing(text: string): string {
  return text.replace(/ ([:;?!])/g, `${NBSP}$1`);
}

/** Shortens a text for a message, with an ellipsis when cut. */
export function excerpt(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
