import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

// zxcvbn's French and common dictionaries (passwords, names, words) and keyboard layouts, loaded
// and ranked at the first check rather than at start: 0.4 s that most commands never need.
let zxcvbn: Promise<ZxcvbnFactory> | undefined;
async function loadChecker(): Promise<ZxcvbnFactory> {
  const [{ ZxcvbnFactory }, common, fr] = await Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-fr'),
  ]);
  return new ZxcvbnFactory({
    translations: fr.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...fr.dictionary },
  });
}

/** The least zxcvbn score accepted: 3 is "safely unguessable" against an offline attack. */
const MIN_SCORE = 3;

/**
 * Why this password is too easy to guess, in French, or null when it is strong enough. The
 * account's own words (its address, its name, the site) count as known to an attacker.
 */
export async function weakPasswordReason(password: string, userInputs: string[]): Promise<string | null> {
  const known = ['essaim', 'centre', 'social', ...userInputs.map((i) => i.toLowerCase()), ...userInputs.flatMap(words)];
  zxcvbn ??= loadChecker();
  const result = (await zxcvbn).check(password, known.filter(Boolean));
  if (result.score >= MIN_SCORE) return null;
  const advice = [result.feedback.warning, ...result.feedback.suggestions]
    .filter((sentence): sentence is string => Boolean(sentence))
    .map((sentence) => (/[.!?]$/.test(sentence) ? sentence : `${sentence}.`))
    .join(' ');
  return `Ce mot de passe est trop facile à deviner.${advice ? ` ${advice}` : ''} Une phrase de plusieurs mots est plus sûre et plus facile à retenir.`;
}

function words(input: string): string[] {
  return input
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 3);
}
