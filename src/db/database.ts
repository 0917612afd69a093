import type { ColumnType, Generated, Kysely, RawBuilder, Transaction } from 'kysely';

/** Whether a fiche is public. */
export type Publication = 'draft' | 'published' | 'archived';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

/** A controlled vocabulary: one table per vocabulary, all of this shape. */
export interface VocabularyTable {
  code: string;
  label: string;
  /** Labels accepted on import; the first one is written back in the legacy dump. */
  legacy_labels: ColumnType<string[], string[] | undefined, string[]>;
  sort_order: ColumnType<number, number | undefined, number>;
  /** Created on import from an unknown value, waiting for an admin's review. */
  flagged: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
}

export const VOCABULARY_TABLES = [
  'dimensions',
  'statuses',
  'keywords',
  'initiatives',
  'territories',
  'publics',
  'partners',
] as const;
export type VocabularyTableName = (typeof VOCABULARY_TABLES)[number];

export interface RegionTable {
  code: string;
  name: string;
}

export interface DepartementTable {
  code: string;
  name: string;
  region_code: string;
}

export interface StructureTable {
  id: Generated<number>;
  name: string;
  departement_code: string;
  kind: 'centre_social' | 'evs' | null;
  street_address: string | null;
  postal_code: string | null;
  /** INSEE code of the commune (or of the municipal arrondissement in Paris, Lyon, Marseille). */
  commune_code: string | null;
  commune_name: string | null;
  phone: string | null;
  website: string | null;
  /** Where the contact form relays messages; never shown in a page or an export. */
  contact_email: string | null;
  contact_role: string | null;
  contact_name: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ActionTable {
  id: Generated<number>;
  structure_id: number;
  title: string;
  /** The legacy dump may omit the "Fichier(s) associé(s)" line; kept for a faithful export. */
  has_attachments_line: ColumnType<boolean, boolean | undefined, boolean>;
  status_code: string | null;
  end_reason: string | null;
  /** « Date de début de l’action », "2024-09"; the legacy dump has no such field. */
  start_month: string | null;
  dimension_code: string | null;
  summary: string | null;
  initiative_detail: string | null;
  territory_code: string | null;
  experience: string | null;
  partners_territory_code: string | null;
  general_description: string | null;
  financial_resources: string | null;
  people_mobilised: string | null;
  result_territory: string | null;
  result_centre: string | null;
  result_inhabitants: string | null;
  limits: string | null;
  perspectives: string | null;
  /** Public ('published'), never approved yet ('draft') or withdrawn ('archived'). */
  publication: ColumnType<Publication, Publication | undefined, Publication>;
  /** When the fiche was first made public; null while it never was. */
  published_at: ColumnType<Date | null, Date | null | undefined, Date | null | RawBuilder<Date>>;
  /** When an import last brought the fiche (the source's export has no publication date). */
  imported_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The fiche it was written from (« S'inspirer de cette fiche »), when it was. */
  inspired_by_id: number | null;
  /** When an editor last confirmed the fiche « Toujours d’actualité ». */
  checked_at: Date | null;
  /** Moved by the reminders job (src/freshness): edited or confirmed within a year, older, or left unanswered. */
  freshness: ColumnType<Freshness, Freshness | undefined, Freshness>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** Where a published fiche stands between its last edit or confirmation and its reminders. */
export type Freshness = 'recent' | 'old' | 'stale';

/** A reminder that a fiche may be out of date, once per fiche and period. */
export interface FicheReminderTable {
  id: Generated<number>;
  action_id: number;
  /** The fiche's last edit or confirmation when it was sent: the period it closes. */
  period_start: Date;
  sent_at: Date;
  /** How many editors it was sent to; 0 when the structure has none. */
  recipients: number;
  answered_at: Date | null;
}

interface ActionLinkTable {
  action_id: number;
  position: number;
}

export interface ActionKeywordTable extends ActionLinkTable {
  keyword_code: string;
}
export interface ActionInitiativeTable extends ActionLinkTable {
  initiative_code: string;
}
export interface ActionPublicTable extends ActionLinkTable {
  public_code: string;
}
export interface ActionPartnerTable extends ActionLinkTable {
  partner_code: string;
  role: 'action' | 'financial';
}

export interface AttachmentTable {
  id: Generated<number>;
  action_id: number;
  position: number;
  file_name: string;
  media_type: string | null;
  size_bytes: number | null;
  /** Where the file's bytes are kept; null for a name listed in a legacy dump without its file. */
  storage_key: string | null;
  /** Public, added by the work in progress (pending), or removed by it (withdrawn, still public). */
  state: ColumnType<AttachmentState, AttachmentState | undefined, AttachmentState>;
  uploaded_by: number | null;
  created_at: CreatedAt;
}

/** Where an attachment stands in the publication workflow. */
export type AttachmentState = 'public' | 'pending' | 'withdrawn';

/** What happened to a fiche: data changes (create, update, delete, save) and workflow steps. */
export type HistoryOperation =
  | 'create'
  | 'update'
  | 'delete'
  | 'save'
  | 'submit'
  | 'request_changes'
  | 'publish'
  | 'archive'
  | 'restore'
  | 'remind'
  | 'confirm'
  | 'flag_stale';

export interface ActionHistoryTable {
  id: Generated<number>;
  action_id: number | null;
  at: CreatedAt;
  actor: string;
  source: 'import' | 'web' | 'cli' | 'api';
  operation: HistoryOperation;
  /** Who did it, when it was a logged-in user; `actor` keeps their name for when the account goes. */
  user_id: number | null;
  /** The reviewer's comment on a request for changes, or an editor's note. */
  comment: string | null;
  /** Field name to { before, after }; for a creation, every field with before = null. */
  changes: ColumnType<Record<string, { before: unknown; after: unknown }>, string, never>;
}

/** One row per fiche: the weighted document and the facet codes, so a search reads one narrow table. */
export interface ActionSearchTable {
  action_id: number;
  document: string;
  /** Lower-cased, unaccented title: the A-Z order French readers expect. */
  title_sort: string;
  sort_date: Date;
  structure_id: number;
  dimension_code: string | null;
  status_code: string | null;
  territory_code: string | null;
  departement_code: string;
  region_code: string;
  keyword_codes: string[];
  public_codes: string[];
  initiative_codes: string[];
  partner_codes: string[];
  budget_total: ColumnType<string | null, never, never>;
  budget_range: ColumnType<string, never, never>;
  published_year: ColumnType<string, never, never>;
  freshness: Freshness;
}

type Figure = ColumnType<number | null, string | null, string | null>;

/** What the fiche's resources text says about money (src/budgets), rewritten with every write. */
export interface ActionBudgetTable {
  action_id: number;
  /**
   * numeric, written as a decimal string so that no cent is lost on the way in; read back as a
   * number on both engines (PGlite gives one, db/connect.ts sets pg's parser), exact for any
   * amount a budget holds.
   */
  charges: Figure;
  charges_confidence: string | null;
  products: Figure;
  products_confidence: string | null;
  total: Figure;
  total_confidence: string | null;
  range_code: string | null;
  funders: ColumnType<Array<{ code: string | null; label: string; amount: number | null }>, string, string>;
  extractor_version: number;
}

/** A word met in the fiches, for typo suggestions. */
export interface SearchWordTable {
  word: string;
  /** The word without accents, indexed by trigrams. */
  plain: string;
  stem: string;
  documents: number;
  /** The search generation of the word's last change (migration 0022). */
  generation: ColumnType<string, never, never>;
}

/** A group of terms searched as one another. */
export interface SearchSynonymTable {
  id: Generated<number>;
  terms: string[];
  updated_at: UpdatedAt;
}

/** One row: the search generation, increased by any write to a table a search reads. */
export interface SearchStateTable {
  id: number;
  generation: ColumnType<string, number, never>;
  /** The generation of the last truncate of the search rows: indexes older than it rebuild. */
  reset_generation: ColumnType<string, never, never>;
  /** Increased by any write to the vocabularies or the synonyms. */
  reference_generation: ColumnType<string, never, never>;
}

/** The fiches whose search row changed, each with the generation of its last change. */
export interface ActionSearchChangeTable {
  action_id: number;
  generation: ColumnType<string, never, never>;
}

/** The work in progress on a fiche, until a reviewer approves it. */
export interface ActionRevisionTable {
  action_id: number;
  /** A FicheContent as JSON (src/actions/fiche.ts); its repository gives it its type. */
  content: ColumnType<unknown, string, string>;
  state: 'draft' | 'submitted' | 'changes_requested';
  reviewer_comment: string | null;
  version: ColumnType<number, number | undefined, number>;
  updated_by: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  submitted_at: Date | null;
}

export interface UserTable {
  id: Generated<number>;
  /** Always lower-case: one account per address, whatever its spelling. */
  email: string;
  name: ColumnType<string, string | undefined, string>;
  /** argon2id; null until the invitation is accepted. */
  password_hash: string | null;
  is_admin: ColumnType<boolean, boolean | undefined, boolean>;
  disabled_at: Date | null;
  /** The ProConnect identity (`sub`) linked to the account, if any. */
  proconnect_sub: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface UserStructureTable {
  user_id: number;
  structure_id: number;
}

export interface UserDepartementTable {
  user_id: number;
  departement_code: string;
}

export interface SessionTable {
  /** SHA-256 of the cookie's token. */
  token_hash: string;
  user_id: number;
  created_at: CreatedAt;
  last_seen_at: UpdatedAt;
  expires_at: Date;
  /** The ID token of a session opened through ProConnect, for its sign-out. */
  proconnect_id_token: ColumnType<string | null, string | null | undefined, never>;
}

/** A single-use link sent by e-mail: a password reset or an invitation. */
export interface AccountTokenTable {
  token_hash: string;
  user_id: number;
  purpose: 'reset' | 'invitation';
  created_at: CreatedAt;
  expires_at: Date;
  used_at: Date | null;
}

/** What the rate limits of login and reset count, per IP address and per account. */
export interface AuthAttemptTable {
  id: Generated<string>;
  kind: 'login_failure' | 'reset_request' | 'alert_request' | 'contact_message' | 'fiche_report';
  scope: 'ip' | 'account';
  key: string;
  at: CreatedAt;
}

/** What a reader reports on a fiche. */
export type ReportKind = 'wrong' | 'outdated' | 'personal_data' | 'other';

export interface FicheReportTable {
  id: Generated<number>;
  action_id: number;
  kind: ReportKind;
  text: string;
  /** The reporter's address, to tell them what became of it; null when they left none. */
  email: string | null;
  state: ColumnType<'open' | 'handled' | 'rejected', 'open' | 'handled' | 'rejected' | undefined>;
  reviewer_note: string | null;
  handled_by: number | null;
  created_at: CreatedAt;
  handled_at: Date | null;
}

/** What readers did with a fiche in a month: counts only, nobody's trace. */
export interface FicheFiguresTable {
  action_id: number;
  /** The month's first day, in Paris time. */
  month: ColumnType<Date, string, string>;
  views: ColumnType<number, number | undefined, number>;
  downloads: ColumnType<number, number | undefined, number>;
  favourites: ColumnType<number, number | undefined, number>;
  alert_listings: ColumnType<number, number | undefined, number>;
}

export interface AppSecretTable {
  name: string;
  value: string;
}

export interface ProConnectDomainTable {
  domain: string;
  role: 'member' | 'reviewer';
  departement_codes: ColumnType<string[], string[] | undefined, string[]>;
  created_at: CreatedAt;
}

export interface AppSettingTable {
  name: string;
  value: string;
  updated_at: Generated<Date>;
}

export interface FavouriteTable {
  user_id: number;
  action_id: number;
  created_at: CreatedAt;
}

/** A search whose new fiches are e-mailed, daily or weekly. */
export interface SavedSearchTable {
  id: Generated<number>;
  user_id: number | null;
  email: string;
  query: string;
  frequency: 'daily' | 'weekly';
  confirmed_at: Date | null;
  last_run_at: Date | null;
  created_at: CreatedAt;
}

export interface AlertDeliveryTable {
  saved_search_id: number;
  action_id: number;
  sent_at: CreatedAt;
}

/** The whole schema, as Kysely sees it. */
export interface Database {
  regions: RegionTable;
  departements: DepartementTable;
  dimensions: VocabularyTable;
  statuses: VocabularyTable;
  keywords: VocabularyTable;
  initiatives: VocabularyTable;
  territories: VocabularyTable;
  publics: VocabularyTable;
  partners: VocabularyTable;
  structures: StructureTable;
  actions: ActionTable;
  action_keywords: ActionKeywordTable;
  action_initiatives: ActionInitiativeTable;
  action_publics: ActionPublicTable;
  action_partners: ActionPartnerTable;
  attachments: AttachmentTable;
  action_history: ActionHistoryTable;
  action_search: ActionSearchTable;
  action_search_changes: ActionSearchChangeTable;
  action_budgets: ActionBudgetTable;
  search_words: SearchWordTable;
  search_synonyms: SearchSynonymTable;
  search_state: SearchStateTable;
  action_revisions: ActionRevisionTable;
  users: UserTable;
  user_structures: UserStructureTable;
  user_departements: UserDepartementTable;
  sessions: SessionTable;
  account_tokens: AccountTokenTable;
  auth_attempts: AuthAttemptTable;
  app_secrets: AppSecretTable;
  app_settings: AppSettingTable;
  proconnect_domains: ProConnectDomainTable;
  favourites: FavouriteTable;
  saved_searches: SavedSearchTable;
  alert_deliveries: AlertDeliveryTable;
  fiche_reports: FicheReportTable;
  fiche_reminders: FicheReminderTable;
  fiche_figures: FicheFiguresTable;
}

/** The database handle or an open transaction: repositories accept either. */
export type Db = Kysely<Database> | Transaction<Database>;
