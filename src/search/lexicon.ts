// Letters and digits make a word, as for PostgreSQL's parser; apostrophes and hyphens split.
const WORD = /[\p{L}\p{N}_]+/gu;
const DIGIT = /\p{N}/u;

/**
 * The distinct words of these texts worth suggesting (3 letters or more, no digit), lower-cased,
 * each with the number of texts holding it, added to `counts`. Read in JavaScript rather than by
 * a second parse in the database, which would cost as much as building the search document itself.
 */
export function countWords(texts: string[], counts = new Map<string, number>()): Map<string, number> {
  for (const text of texts) {
    const seen = new Set<string>();
    for (const [match] of text.toLowerCase().matchAll(WORD)) {
      if (match.length < 3 || seen.has(match) || DIGIT.test(match)) continue;
      seen.add(match);
      counts.set(match, (counts.get(match) ?? 0) + 1);
    }
  }
  return counts;
}
