/** The logged-in user as authorization sees them. */
export interface SessionUser {
  id: number;
  email: string;
  name: string;
  isAdmin: boolean;
  /** Structures whose fiches the user writes (editor). */
  structureIds: number[];
  /** Départements whose fiches the user reviews and whose structures they manage (reviewer). */
  departementCodes: string[];
}

/** Where a fiche or structure belongs, which is all a rule needs to know about it. */
export interface Placement {
  structureId: number;
  departementCode: string;
}

/** Roles given to a user: what an invitation or a grant asks for. */
export interface RoleSet {
  isAdmin: boolean;
  structures: Placement[];
  departementCodes: string[];
}

/** Everything a user may try, with the record each rule looks at. */
export interface Abilities {
  /** Write a fiche of this structure: create, edit its working copy, submit it, attach files. */
  'fiche:write': Placement;
  /** See a fiche that is not public (a draft, a pending edit, an archived fiche). */
  'fiche:read': Placement;
  /** Publish a fiche or request changes to it. */
  'fiche:review': Placement;
  /** Archive or restore a fiche. */
  'fiche:archive': Placement;
  /** Change a structure's details. */
  'structure:manage': Placement;
  /** Change a structure's contact details: its address, telephone, website, relay address. */
  'structure:contact': Placement;
  /** Give these roles to the user `targetUserId` (by invitation or grant). */
  'user:grant': { targetUserId: number | null; roles: RoleSet };
  /** List users, take roles away, disable accounts; change vocabularies. */
  'admin:manage': null;
}

/** Whether the user writes fiches somewhere (or for any structure, as an admin): « Mes fiches » is theirs. */
export function writesAnywhere(user: SessionUser): boolean {
  return user.isAdmin || user.structureIds.length > 0;
}

/** Whether the user reviews fiches somewhere (or everywhere, as an admin): the review queue and invitations are theirs. */
export function reviewsAnywhere(user: SessionUser): boolean {
  return user.isAdmin || user.departementCodes.length > 0;
}

/**
 * The départements whose records a reviewer's lists show (the review queue, the structures, the
 * people to invite): all of them for an admin (null), else the user's. The list filter beside
 * `can()`, so that no page writes the rule again.
 */
export function visibleScope(user: SessionUser): string[] | null {
  return user.isAdmin ? null : user.departementCodes;
}

const writes = (user: SessionUser, p: Placement) => user.structureIds.includes(p.structureId);
const reviews = (user: SessionUser, p: Placement) => user.departementCodes.includes(p.departementCode);

/**
 * Whether `user` may do `action` on `record`: the one place the roles' rules are written.
 * An editor writes the fiches of their structures; a reviewer reads, reviews and archives those
 * of their départements and manages the structures there; an admin may do everything.
 */
export function can<A extends keyof Abilities>(
  user: SessionUser | null | undefined,
  action: A,
  record: Abilities[A],
): boolean {
  if (!user) return false;
  if (user.isAdmin) return true;
  switch (action) {
    case 'fiche:write':
      return writes(user, record as Placement);
    case 'fiche:read':
    case 'fiche:archive':
    case 'structure:contact':
      return writes(user, record as Placement) || reviews(user, record as Placement);
    case 'fiche:review':
    case 'structure:manage':
      return reviews(user, record as Placement);
    case 'user:grant': {
      // A reviewer may bring editors to the structures of their départements, never themselves
      // and never to a wider role: nobody raises their own role.
      const { targetUserId, roles } = record as Abilities['user:grant'];
      return (
        targetUserId !== user.id &&
        !roles.isAdmin &&
        roles.departementCodes.length === 0 &&
        roles.structures.length > 0 &&
        roles.structures.every((s) => reviews(user, s))
      );
    }
    default:
      return false;
  }
}
