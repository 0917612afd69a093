import { sql } from 'kysely';

/**
 * The text search configuration of every French analysis, for documents and queries alike
 * (migration 0002: French stemming, accents folded by unaccent), as an SQL literal.
 */
export const TEXT_CONFIG = sql.lit('french_unaccent');
