import { Field, ID, InputType } from 'type-graphql';
import { z } from 'zod';
import { STAFF_ACTIONS, StaffAction } from '@cg/auth';
import { zx } from '@cg/subgraph';
import { MemberRole } from './access.type.ts';

const actions = z
  .array(z.enum(STAFF_ACTIONS as [StaffAction, ...StaffAction[]]))
  .min(1, 'must name at least one action')
  .transform((list) => [...new Set(list)].sort());
/** Token subjects are opaque to us; they only have to be sensible identifiers. */
const userId = z.string().trim().min(1, 'must not be empty').max(200);
const storeIds = z
  .array(zx.id)
  .min(1, 'must name at least one store')
  .max(50)
  .transform((ids) => [...new Set(ids)]);

@InputType()
export class CreateStaffRoleInput {
  @Field(() => String) name!: string;
  @Field(() => [StaffAction]) actions!: StaffAction[];
}
export const createStaffRoleSchema = z.object({ name: zx.text(100), actions });

@InputType({ description: 'Omitted fields stay as they are; `actions` replaces the whole set.' })
export class UpdateStaffRoleInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => [StaffAction], { nullable: true }) actions?: StaffAction[] | null;
}
export const updateStaffRoleSchema = z
  .object({ name: zx.text(100).optional(), actions: actions.optional() })
  .transform((value) => ({
    ...(value.name !== undefined ? { name: value.name } : {}),
    ...(value.actions !== undefined ? { actions: value.actions } : {}),
  }));

@InputType({ description: 'Adds a staff user to the store or changes their role.' })
export class SetStaffMemberInput {
  @Field(() => ID) userId!: string;
  @Field(() => MemberRole) role!: MemberRole;
  @Field(() => ID, { nullable: true, description: 'Required with role CUSTOM, refused otherwise.' }) customRoleId?:
    string | null;
}
export const setStaffMemberSchema = z
  .object({ userId, role: z.enum(MemberRole), customRoleId: zx.id.nullish() })
  .refine((value) => (value.role === MemberRole.CUSTOM) === Boolean(value.customRoleId), {
    path: ['customRoleId'],
    message: 'is required with role CUSTOM and refused with the built-in roles',
  });

@InputType({
  description: 'Shares the Customers module of one or more of the caller’s stores with another staff user.',
})
export class GrantAccessInput {
  @Field(() => ID) userId!: string;
  @Field(() => [ID], { description: 'Stores where the caller holds ACCESS_MANAGE; 1–50.' }) storeIds!: string[];
  @Field(() => [StaffAction]) actions!: StaffAction[];
}
export const grantAccessSchema = z.object({
  userId,
  storeIds,
  actions,
});

@InputType()
export class RevokeAccessInput {
  @Field(() => ID) userId!: string;
  @Field(() => [ID]) storeIds!: string[];
}
export const revokeAccessSchema = z.object({
  userId,
  storeIds,
});
