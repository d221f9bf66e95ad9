import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver, Root, Authorized } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import { PageArgs, Caller, Shopper } from '@cg/subgraph';
import type { PermissionRecordRow, PermissionStateRow } from '../db/schema.ts';
import type { ConsentContext } from '../context.ts';
import { Customer } from '../customers/customer.type.ts';
import { LegalDocument } from '../legal-documents/legal-document.type.ts';
import {
  Permission,
  PermissionConnection,
  PermissionRecord,
  PermissionRecordConnection,
  PermissionSubjectKind,
  PermissionType,
} from './permission.type.ts';
import { PermissionChangeInput, PermissionFilter } from './permission.inputs.ts';

@Resolver(() => Customer)
export class CustomerPermissionsResolver {
  @Shopper()
  @FieldResolver(() => PermissionConnection, {
    nullable: true,
    description: 'P4: the current permission per document series and channel, most recently changed first.',
  })
  permissions(
    @Root() customer: Customer,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => PermissionFilter, { nullable: true }) filter: PermissionFilter | null,
    @Ctx() ctx: ConsentContext,
  ) {
    return ctx.permissions.forCustomer(customer.id, { ...page, filter });
  }

  @Shopper()
  @FieldResolver(() => PermissionRecordConnection, {
    nullable: true,
    description: 'P2: every grant and revocation, newest first.',
  })
  permissionRecords(@Root() customer: Customer, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: ConsentContext) {
    return ctx.permissions.recordsForCustomer(customer.id, page);
  }
}

@Resolver(() => Permission)
export class PermissionResolver {
  @Shopper()
  @FieldResolver(() => PermissionSubjectKind)
  kind(@Root() permission: PermissionStateRow) {
    return permission.channel ? PermissionSubjectKind.CHANNEL : PermissionSubjectKind.DOCUMENT;
  }

  @Shopper()
  @FieldResolver(() => PermissionType)
  type(@Root() permission: PermissionStateRow) {
    return permission.channel ?? permission.documentType;
  }

  @Shopper()
  @FieldResolver(() => LegalDocument, {
    nullable: true,
    description: 'The version the latest record granted or revoked.',
  })
  document(@Root() permission: PermissionStateRow, @Ctx() ctx: ConsentContext) {
    return permission.documentId ? ctx.legalDocuments.load(permission.documentId) : null;
  }

  @Shopper()
  @FieldResolver(() => [PermissionRecord], { description: 'The records of this subject, newest first.' })
  history(@Root() permission: PermissionStateRow, @Ctx() ctx: ConsentContext) {
    return ctx.permissions.history(permission);
  }

  @Shopper()
  @FieldResolver(() => Customer)
  customer(@Root() permission: PermissionStateRow): Customer {
    return { id: permission.customerId };
  }
}

@Resolver(() => PermissionRecord)
export class PermissionRecordResolver {
  @Shopper()
  @FieldResolver(() => PermissionSubjectKind)
  kind(@Root() record: PermissionRecordRow) {
    return record.channel ? PermissionSubjectKind.CHANNEL : PermissionSubjectKind.DOCUMENT;
  }

  @Shopper()
  @FieldResolver(() => LegalDocument, {
    nullable: true,
    description: 'The version granted or revoked; null for a channel.',
  })
  document(@Root() record: PermissionRecordRow, @Ctx() ctx: ConsentContext) {
    return record.documentId ? ctx.legalDocuments.load(record.documentId) : null;
  }

  @Shopper()
  @FieldResolver(() => Customer)
  customer(@Root() record: PermissionRecordRow): Customer {
    return { id: record.customerId };
  }

  @Shopper()
  @FieldResolver(() => Permission, {
    description:
      "The permission this record belongs to, as it stands now: a grant's or a revocation's answer carries the changed state.",
  })
  permission(@Root() record: PermissionRecordRow, @Ctx() ctx: ConsentContext) {
    return ctx.permissions.stateOf(record);
  }

  @Authorized(StaffAction.CONSENTS_MANAGE, Caller.CUSTOMER)
  @Mutation(() => PermissionRecord, {
    description: 'Records that the customer granted a document version or a channel.',
  })
  grantPermission(@Arg('input', () => PermissionChangeInput) input: PermissionChangeInput, @Ctx() ctx: ConsentContext) {
    return ctx.permissions.grant(input);
  }

  @Authorized(StaffAction.CONSENTS_MANAGE, Caller.CUSTOMER)
  @Mutation(() => PermissionRecord, { description: 'Records that the customer revoked a document or a channel.' })
  revokePermission(
    @Arg('input', () => PermissionChangeInput) input: PermissionChangeInput,
    @Ctx() ctx: ConsentContext,
  ) {
    return ctx.permissions.revoke(input);
  }
}
