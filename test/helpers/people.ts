import { inviteUser } from '../../src/accounts/roles.service.js';
import { createMailer } from '../../src/mail/mailer.js';
import { Agent, acceptInvitation } from './agent.js';
import type { openSeededApp } from './databases.js';

type Seeded = Awaited<ReturnType<typeof openSeededApp>>;

/** The first published fiche of a département, as the API gives it. */
export async function ficheOfDepartement(seeded: Seeded, code: string) {
  const { id } = await seeded.handle.db
    .selectFrom('actions as a')
    .innerJoin('structures as s', 's.id', 'a.structure_id')
    .select('a.id')
    .where('s.departement_code', '=', code)
    .orderBy('a.id')
    .executeTakeFirstOrThrow();
  return (await new Agent(seeded.app).get(`/api/v1/actions/${id}`)).json();
}

/** The first structure of a département. */
export function structureOfDepartement(seeded: Seeded, code: string) {
  return seeded.handle.db
    .selectFrom('structures')
    .select(['id', 'name'])
    .where('departement_code', '=', code)
    .orderBy('id')
    .executeTakeFirstOrThrow();
}

/** Invites a person with these roles (the e-mail goes to the outbox) and returns them signed in. */
export async function invitedPerson(
  seeded: Seeded,
  email: string,
  name: string,
  roles: { structureIds?: number[]; departementCodes?: string[]; isAdmin?: boolean },
): Promise<Agent> {
  const { handle, app, config } = seeded;
  const mailer = createMailer({ ...config, smtpUrl: undefined }, { info: () => {} });
  await inviteUser(handle.db, mailer, config.publicUrl, null, { email, ...roles });
  return acceptInvitation(app, config.dataDir, email, name);
}
