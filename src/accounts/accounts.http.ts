import type { Db } from '../db/database.js';
import type { Background } from '../jobs/background.js';
import type { Mailer } from '../mail/mailer.js';

/** What the account pages work with. */
export interface AccountDeps {
  db: Db;
  mailer: Mailer;
  background: Background;
  publicUrl: string;
  /** Whether the login page offers ProConnect (PROCONNECT_ISSUER is set). */
  proconnect: boolean;
  /** The provider's sign-out address for a session opened through ProConnect, if any. */
  endProConnectSession?: (idToken: string) => Promise<string | null>;
}
