import { Directive, Field, ID, ObjectType, registerEnumType, UseMiddleware } from 'type-graphql';
import { Connection, Internal, Shopper, personal } from '@cg/subgraph';
import { LegalDocumentCategory, LegalDocumentType } from '../legal-documents/legal-document.type.ts';
import { NotificationChannel, PermissionAction, PermissionSource, PermissionRecorderKind } from './permission.enum.ts';

export { NotificationChannel, PermissionAction, PermissionSource, PermissionRecorderKind };

registerEnumType(NotificationChannel, { name: 'NotificationChannel' });

registerEnumType(PermissionAction, { name: 'PermissionAction' });

/** The same values as PermissionAction: the status is the action of the latest record. */
export const PermissionStatus = { ...PermissionAction };
export type PermissionStatus = PermissionAction;
registerEnumType(PermissionStatus, { name: 'PermissionStatus' });

registerEnumType(PermissionSource, { name: 'PermissionSource' });

export enum PermissionSubjectKind {
  DOCUMENT = 'document',
  CHANNEL = 'channel',
}
registerEnumType(PermissionSubjectKind, {
  name: 'PermissionSubjectKind',
  description: 'A legal document series or a notification channel.',
});

registerEnumType(PermissionRecorderKind, { name: 'PermissionRecorderKind' });

/** A permission's type: its document's type (LegalDocumentType's values), or its channel (NotificationChannel's). */
export const PermissionType = { ...LegalDocumentType, ...NotificationChannel };
export type PermissionType = LegalDocumentType | NotificationChannel;
registerEnumType(PermissionType, {
  name: 'PermissionType',
  description: "A document permission's document type, or a channel permission's channel.",
});

@Directive('@key(fields: "id")')
@ObjectType({ description: 'One grant or revocation, append-only: never changed or deleted.' })
export class PermissionRecord {
  @Shopper()
  @Field(() => ID)
  id!: string;
  @Shopper()
  @Field(() => String, { nullable: true, description: "The document's series key; null for a channel." })
  documentKey!: string | null;
  @Shopper()
  @Field(() => NotificationChannel, { nullable: true })
  channel!: NotificationChannel | null;
  @Shopper()
  @Field(() => PermissionAction)
  action!: PermissionAction;
  @Shopper()
  @Field(() => PermissionSource)
  source!: PermissionSource;
  @Internal(null)
  @UseMiddleware(personal('ip'))
  @Field(() => String, {
    nullable: true,
    description: 'IP address the permission was given or withdrawn from; staff only.',
  })
  ip!: string | null;
  @Internal(null)
  @Field(() => String, {
    nullable: true,
    description: 'Id of the staff user (or customer) who recorded it; staff only (null for others).',
  })
  recordedBy!: string | null;
  @Shopper()
  @Field(() => PermissionRecorderKind)
  recordedByKind!: PermissionRecorderKind;
  @Shopper()
  @Field(() => Date)
  recordedAt!: Date;
}

@ObjectType({
  description: "A customer's current permission for one subject: the latest record of that document series or channel.",
})
export class Permission {
  @Shopper()
  @Field(() => ID, { description: 'Stable for the (customer, subject) pair.' })
  id!: string;
  @Shopper()
  @Field(() => String, { description: '"document:<key>" or "channel:<channel>".' })
  subject!: string;
  @Shopper()
  @Field(() => String, { nullable: true, description: "The document's series key; null for a channel." })
  documentKey!: string | null;
  @Shopper()
  @Field(() => NotificationChannel, { nullable: true })
  channel!: NotificationChannel | null;
  @Shopper()
  @Field(() => LegalDocumentCategory, { description: "The document's category; NOTIFICATION for a channel." })
  category!: LegalDocumentCategory;
  @Shopper()
  @Field(() => PermissionStatus)
  status!: PermissionStatus;
  @Shopper()
  @Field(() => PermissionSource, { description: 'Source of the latest record.' })
  source!: PermissionSource;
  @Internal(null)
  @UseMiddleware(personal('ip'))
  @Field(() => String, { nullable: true, description: 'IP address of the latest record; staff only.' })
  ip!: string | null;
  @Internal(null)
  @Field(() => String, { nullable: true, description: 'Who recorded the latest record; staff only (null for others).' })
  recordedBy!: string | null;
  @Shopper()
  @Field(() => PermissionRecorderKind)
  recordedByKind!: PermissionRecorderKind;
  @Shopper()
  @Field(() => Date, { description: 'Time of the latest record.' })
  updatedAt!: Date;
}

@ObjectType()
export class PermissionConnection extends Connection(Permission) {}

@ObjectType()
export class PermissionRecordConnection extends Connection(PermissionRecord) {}
