import { and, eq, inArray, isNull } from 'drizzle-orm';
import { ROLE_ACTIONS, STAFF_ACTIONS, type StoreAccess } from '@cg/auth';
import { forbidden, type BaseContext } from '@cg/subgraph';
import { accessGrants, staffMembers, staffRoles, stores } from '../db/schema/index.ts';
import type { CustomerDb } from '../context.ts';
import { MemberRole } from './access.type.ts';

export interface FoundAccess {
  access: StoreAccess;
  role: MemberRole | null;
}

/**
 * A user's access in each of `storeIds`, in one statement: their membership and its role (a custom
 * role's action set), plus an active shared-access grant. A store where they have neither (and
 * that platform staff cannot see because it does not exist) is absent from the result.
 */
export async function findAccess(
  db: CustomerDb,
  user: { userId: string; platform?: boolean },
  storeIds: readonly string[],
): Promise<Map<string, FoundAccess>> {
  const rows = await db
    .select({
      storeId: stores.id,
      role: staffMembers.role,
      roleActions: staffRoles.actions,
      granted: accessGrants.actions,
    })
    .from(stores)
    .leftJoin(staffMembers, and(eq(staffMembers.storeId, stores.id), eq(staffMembers.userId, user.userId)))
    .leftJoin(
      staffRoles,
      and(eq(staffRoles.storeId, staffMembers.storeId), eq(staffRoles.id, staffMembers.customRoleId)),
    )
    .leftJoin(
      accessGrants,
      and(eq(accessGrants.storeId, stores.id), eq(accessGrants.userId, user.userId), isNull(accessGrants.revokedAt)),
    )
    .where(inArray(stores.id, [...storeIds]));
  const found = new Map<string, FoundAccess>();
  for (const row of rows) {
    const role = row.role as MemberRole | null;
    const fromRole = role === null ? [] : roleActions(role, row.roleActions);
    const actions = user.platform ? STAFF_ACTIONS : [...new Set([...fromRole, ...(row.granted ?? [])])];
    if (!user.platform && role === null && !row.granted) continue;
    found.set(row.storeId, {
      role,
      access: {
        userId: user.userId,
        storeId: row.storeId,
        actions: STAFF_ACTIONS.filter((action) => actions.includes(action)),
        platform: user.platform === true,
      },
    });
  }
  return found;
}

/** What a member's role allows: a built-in role's actions, or its custom set's. */
export function roleActions(role: MemberRole, customActions: readonly string[] | null | undefined): readonly string[] {
  return role === MemberRole.CUSTOM ? (customActions ?? []) : ROLE_ACTIONS[role];
}

/** T6: the caller's own access in the store the request works in. */
export class AccessLookupService {
  constructor(
    private readonly db: CustomerDb,
    private readonly ctx: BaseContext,
  ) {}

  async mine(): Promise<FoundAccess['access'] & { id: string; role: MemberRole | null }> {
    const access = this.ctx.access;
    if (!access) throw forbidden('Only staff have store access');
    const found = await findAccess(this.db, this.ctx.principal, [this.ctx.storeId]);
    return { ...access, id: `${access.storeId}:${access.userId}`, role: found.get(this.ctx.storeId)?.role ?? null };
  }
}
