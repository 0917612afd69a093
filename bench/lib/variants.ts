import { DEFAULT_TUNING, type SearchTuning } from '../../src/search/search.model.js';

/** Every optimisation off: the straightforward search the product started with. */
const BASELINE: SearchTuning = Object.fromEntries(Object.keys(DEFAULT_TUNING).map((k) => [k, false])) as never;

/**
 * The variants a benchmark can compare in one run: the baseline, the product's current
 * tuning, and the baseline plus one optimisation at a time.
 */
export const VARIANTS = {
  baseline: BASELINE,
  current: DEFAULT_TUNING,
  ...Object.fromEntries(Object.keys(DEFAULT_TUNING).map((k) => [`only-${k}`, { ...BASELINE, [k]: true }])),
  ...Object.fromEntries(Object.keys(DEFAULT_TUNING).map((k) => [`without-${k}`, { ...DEFAULT_TUNING, [k]: false }])),
} as Record<string, SearchTuning>;

export type VariantName = keyof typeof VARIANTS;
