import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Authorized } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import { Caller, PageArgs } from '@cg/subgraph';
import type { StaffMemberRow, StaffRoleRow } from '../db/schema/index.ts';
import type { CustomerContext } from '../context.ts';
import { roleActions } from './access-lookup.service.ts';
import {
  AccessGrant,
  AccessGrantConnection,
  type MemberRole,
  StaffMember,
  StaffMemberConnection,
  StaffRole,
  StoreAccessInfo,
} from './access.type.ts';
import {
  CreateStaffRoleInput,
  GrantAccessInput,
  RevokeAccessInput,
  SetStaffMemberInput,
  UpdateStaffRoleInput,
} from './access.inputs.ts';

@Resolver(() => StaffMember)
export class AccessResolver {
  @Authorized(Caller.STAFF)
  @Query(() => StoreAccessInfo, {
    description: 'What the caller may do in the store this request works in (send `x-store-id` to work in another).',
  })
  myAccess(@Ctx() ctx: CustomerContext) {
    return ctx.accessLookup.mine();
  }

  @Authorized(StaffAction.ACCESS_MANAGE)
  @Query(() => StaffMemberConnection, { description: "The store's staff users and their roles, by user id." })
  staffMembers(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: CustomerContext) {
    return ctx.staffMembers.members(page);
  }

  @Authorized(StaffAction.ACCESS_MANAGE)
  @Query(() => [StaffRole], { description: "The store's own action sets, by name." })
  staffRoles(@Ctx() ctx: CustomerContext) {
    return ctx.staffRoles.roles();
  }

  @Authorized(StaffAction.ACCESS_MANAGE)
  @Query(() => AccessGrantConnection, {
    description: 'Shared access to this store, newest first; revoked grants only when asked.',
  })
  accessGrants(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('includeRevoked', () => Boolean, { nullable: true }) includeRevoked: boolean | null,
    @Ctx() ctx: CustomerContext,
  ) {
    return ctx.accessGrants.grants({ ...page, includeRevoked });
  }

  @Authorized(StaffAction.ACCESS_MANAGE)
  @Mutation(() => StaffRole, { description: 'A name taken in the store (in any case) is CONFLICT.' })
  createStaffRole(@Arg('input', () => CreateStaffRoleInput) input: CreateStaffRoleInput, @Ctx() ctx: CustomerContext) {
    return ctx.staffRoles.createRole(input);
  }

  @Authorized(StaffAction.ACCESS_MANAGE)
  @Mutation(() => StaffRole, { description: 'Members holding the role get the new actions from their next request.' })
  updateStaffRole(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateStaffRoleInput) input: UpdateStaffRoleInput,
    @Ctx() ctx: CustomerContext,
  ) {
    return ctx.staffRoles.updateRole(id, input);
  }

  @Authorized(StaffAction.ACCESS_MANAGE)
  @Mutation(() => StaffRole, { description: 'A role that members still hold is CONFLICT.' })
  deleteStaffRole(@Arg('id', () => ID) id: string, @Ctx() ctx: CustomerContext) {
    return ctx.staffRoles.deleteRole(id);
  }

  @Authorized(StaffAction.ACCESS_MANAGE)
  @Mutation(() => StaffMember, {
    description: 'Adds a staff user or changes their role. Demoting the last owner is CONFLICT.',
  })
  setStaffMember(@Arg('input', () => SetStaffMemberInput) input: SetStaffMemberInput, @Ctx() ctx: CustomerContext) {
    return ctx.staffMembers.setMember(input);
  }

  @Authorized(StaffAction.ACCESS_MANAGE)
  @Mutation(() => StaffMember, { description: 'Returns the removed member. Removing the last owner is CONFLICT.' })
  removeStaffMember(@Arg('userId', () => ID) userId: string, @Ctx() ctx: CustomerContext) {
    return ctx.staffMembers.removeMember(userId);
  }

  @Authorized(StaffAction.ACCESS_MANAGE)
  @Mutation(() => [AccessGrant], {
    description:
      'Shares the Customers module of the listed stores with another staff user (T6), from their next request on. ' +
      'The caller needs ACCESS_MANAGE in every store listed (FORBIDDEN otherwise); an active grant is replaced, ' +
      'or returned as it is when it has the same actions. Another grant to the same user and store made at the same ' +
      'time with other actions is CONFLICT.',
  })
  grantAccess(@Arg('input', () => GrantAccessInput) input: GrantAccessInput, @Ctx() ctx: CustomerContext) {
    return ctx.accessGrants.grant(input);
  }

  @Authorized(StaffAction.ACCESS_MANAGE)
  @Mutation(() => [AccessGrant], {
    description: 'Ends shared access to the listed stores from the next request on; returns the grants ended.',
  })
  revokeAccess(@Arg('input', () => RevokeAccessInput) input: RevokeAccessInput, @Ctx() ctx: CustomerContext) {
    return ctx.accessGrants.revoke(input);
  }

  // A user is a staff member of several stores, and a client may work in several (`x-store-id`):
  // the user id alone would make one cached member of them.
  @FieldResolver(() => ID, { description: "The store's id and the user id, joined by a colon." })
  id(@Root() member: StaffMemberRow): string {
    return `${member.storeId}:${member.userId}`;
  }

  @FieldResolver(() => [StaffAction])
  actions(@Root() member: StaffMemberRow & { customRole: StaffRoleRow | null }) {
    return roleActions(member.role as MemberRole, member.customRole?.actions);
  }
}
