import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import { Connection } from '@cg/subgraph';
import { MemberRole } from './access.enum.ts';

export { MemberRole };

registerEnumType(StaffAction, { name: 'StaffAction', description: 'What a staff user may do in a store (T6).' });

registerEnumType(MemberRole, {
  name: 'StaffMemberRole',
  description:
    'OWNER: every action. MANAGER: every action but ACCESS_MANAGE. VIEWER: CUSTOMERS_READ. CUSTOM: a store-defined action set.',
});

@ObjectType({ description: "A store's own named action set, assigned to staff members as their role." })
export class StaffRole {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => [StaffAction]) actions!: StaffAction[];
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
}

@ObjectType({ description: 'A staff user of the store and their role.' })
export class StaffMember {
  @Field(() => ID, { description: "The user id of the staff user's tokens." }) userId!: string;
  @Field(() => MemberRole) role!: MemberRole;
  @Field(() => StaffRole, { nullable: true, description: 'The action set of a CUSTOM role.' })
  customRole!: StaffRole | null;
  @Field(() => [StaffAction], { description: 'What the role allows.' }) actions!: StaffAction[];
  @Field(() => String, { nullable: true, description: 'Who added the member or last changed their role.' }) updatedBy!:
    string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
}

@ObjectType({ description: "Shared access (T6): another staff user's use of this store's Customers module." })
export class AccessGrant {
  @Field(() => ID) id!: string;
  @Field(() => ID) storeId!: string;
  @Field(() => ID) userId!: string;
  @Field(() => [StaffAction]) actions!: StaffAction[];
  @Field(() => String) grantedBy!: string;
  @Field(() => Date) grantedAt!: Date;
  @Field(() => String, { nullable: true }) revokedBy!: string | null;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
}

@ObjectType({ description: "The caller's access in the store this request works in." })
export class StoreAccessInfo {
  @Field(() => ID, { description: 'The store id and the user id, joined by a colon, as StaffMember.id.' }) id!: string;
  @Field(() => ID) storeId!: string;
  @Field(() => ID) userId!: string;
  @Field(() => MemberRole, {
    nullable: true,
    description: 'Null for a user who is here by shared access or as platform staff only.',
  })
  role!: MemberRole | null;
  @Field(() => [StaffAction], {
    description: 'Everything the caller may do here: their role’s actions and any granted ones.',
  })
  actions!: StaffAction[];
  @Field(() => Boolean, { description: 'Platform staff see every store with every action.' }) platform!: boolean;
}

@ObjectType()
export class StaffMemberConnection extends Connection(StaffMember) {}

@ObjectType()
export class AccessGrantConnection extends Connection(AccessGrant) {}
