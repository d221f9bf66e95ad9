import { Field, ID, InputType } from 'type-graphql';
import { z } from 'zod';
import { zx } from '@cg/subgraph';
import { LegalDocumentCategory } from '../legal-documents/legal-document.type.ts';
import {
  NotificationChannel,
  PermissionSource,
  PermissionStatus,
  PermissionSubjectKind,
  PermissionType,
} from './permission.type.ts';

@InputType({ description: 'Give exactly one of `documentId` (a legal document version) and `channel`.' })
export class PermissionChangeInput {
  @Field(() => ID) customerId!: string;
  @Field(() => ID, { nullable: true, description: 'The legal document version granted or revoked.' }) documentId?:
    string | null;
  @Field(() => NotificationChannel, { nullable: true }) channel?: NotificationChannel | null;
  @Field(() => PermissionSource) source!: PermissionSource;
  @Field(() => String, {
    nullable: true,
    description:
      "IPv4 or IPv6 address of a historical record that staff import (source IMPORT) only; otherwise the caller's address, as the gateway saw it, is recorded.",
  })
  ip?: string | null;
}

@InputType()
export class PermissionFilter {
  @Field(() => PermissionStatus, { nullable: true }) status?: PermissionStatus | null;
  @Field(() => PermissionType, { nullable: true }) type?: PermissionType | null;
  @Field(() => PermissionSubjectKind, { nullable: true }) kind?: PermissionSubjectKind | null;
  @Field(() => LegalDocumentCategory, {
    nullable: true,
    description: 'LEGAL, NOTIFICATION (channels included) or OTHER.',
  })
  category?: LegalDocumentCategory | null;
}

// ---- zod: the rules behind the GraphQL shapes ----

export const permissionChangeSchema = z
  .object({
    customerId: zx.id,
    documentId: zx.id.nullish(),
    channel: z.enum(NotificationChannel).nullish(),
    source: z.enum(PermissionSource),
    ip: z.string().trim().pipe(zx.ip).nullish(),
  })
  .superRefine((data, ctx) => {
    if (Boolean(data.documentId) === Boolean(data.channel)) {
      const message = data.documentId
        ? 'give either documentId or channel, not both'
        : 'documentId or channel is required';
      ctx.addIssue({ code: 'custom', path: ['documentId'], message });
      ctx.addIssue({ code: 'custom', path: ['channel'], message });
    }
  });
