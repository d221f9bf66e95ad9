import { and, eq } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import { recordEvents, type AuditActor } from '@cg/events';
import { ErrorCode } from '@cg/http';
import {
  conflict,
  connectionByParent,
  keysetSort,
  notFound,
  parseInput,
  tableConnection,
  type BaseContext,
} from '@cg/subgraph';
import type { Tx } from '@cg/db';
import {
  channelConsents,
  customers,
  mailbox,
  messageSuppressions,
  messages,
  outbox,
  type MailboxRow,
  type MessageRow,
} from '../db/schema/index.ts';
import { audit } from '../audit-trail.ts';
import type { CustomerDb } from '../context.ts';
import { writeTimeline } from '../timeline/timeline.service.ts';
import { toE164 } from '../customers/customer.inputs.ts';
import { LawfulBasis, MessageChannel, MessagePurpose } from './message.enum.ts';
import { sendCustomerMessageSchema, suppressAddressSchema, type SendCustomerMessageInput } from './message.inputs.ts';

const newestFirst = keysetSort<MessageRow>('messages', 'desc', [
  [messages.createdAt, 'timestamptz', (row) => row.createdAt],
  [messages.id, 'uuid', (row) => row.id],
]);
const mailboxNewestFirst = keysetSort<MailboxRow>('mailbox', 'desc', [
  [mailbox.deliveredAt, 'timestamptz', (row) => row.deliveredAt],
  [mailbox.id, 'uuid', (row) => row.id],
]);

/** CONFLICT with the reason, naming the field it is about. */
function refused(reason: string, field: string, message: string): GraphQLError {
  const error = conflict(message);
  Object.assign(error.extensions, { reason, fields: [{ field, message }] });
  return error;
}

/** An email lower-cased, a phone in E.164: the form messages are addressed and suppressed in. */
function normaliseAddress(raw: string): string | undefined {
  const address = raw.trim();
  return address.includes('@') ? address.toLowerCase() : toE164(address);
}

interface NewMessage {
  customerId: string;
  channel: MessageChannel;
  purpose: MessagePurpose;
  address: string;
  subject: string | null;
  body: string;
}

/**
 * Writes a message that may go, its timeline entry with the lawful basis, its audit entry and
 * `message.queued`, in the caller's transaction: a staff request, or an event handler sending a
 * transactional message (a wallet change's notification).
 */
export async function queueMessage(tx: Tx, actor: AuditActor & { storeId: string }, message: NewMessage) {
  const { storeId } = actor;
  const marketing = message.purpose === MessagePurpose.MARKETING;
  const lawfulBasis = marketing ? LawfulBasis.CONSENT : LawfulBasis.CONTRACT;
  const [row] = await tx
    .insert(messages)
    .values({ storeId, ...message, lawfulBasis, sentBy: actor.principal.userId })
    .returning();
  const { customerId, channel, purpose } = message;
  await writeTimeline(tx, [
    {
      storeId,
      customerId,
      kind: 'message',
      summary: `${marketing ? 'Marketing' : 'Transactional'} ${channel === MessageChannel.EMAIL ? 'email' : 'SMS'} sent (basis: ${lawfulBasis})`,
      data: { messageId: row!.id, channel, purpose, lawfulBasis },
      actor: actor.principal.userId,
      orderId: null,
    },
  ]);
  await recordEvents(tx, outbox, [
    { type: 'message.queued', storeId, customerId, payload: { messageId: row!.id } },
    ...audit.events(actor, {
      action: 'message.send',
      entityType: 'Message',
      entityId: row!.id,
      customerId,
      before: null,
      after: { channel, purpose, lawfulBasis },
    }),
  ]);
  return row!;
}

/**
 * C18: staff send an email or SMS to a customer. Marketing goes only on the channel's consent in
 * this store (consent's current state, as `consent.changed` last told it); transactional always;
 * neither to a suppressed address. The message, its timeline entry (with the lawful basis) and
 * `message.queued` commit together: the message's outbox, which message.handlers.ts delivers.
 */
export class MessageService {
  constructor(
    private readonly db: CustomerDb,
    private readonly ctx: BaseContext,
  ) {}

  async send(input: SendCustomerMessageInput): Promise<MessageRow> {
    const data = parseInput(sendCustomerMessageSchema, input, 'input');
    const { storeId } = this.ctx;
    return this.db.transaction(async (tx) => {
      const [customer] = await tx
        .select()
        .from(customers)
        .where(and(eq(customers.storeId, storeId), eq(customers.id, data.customerId)))
        .for('share');
      if (!customer || customer.erasedAt || customer.deletedAt) throw notFound('Customer', data.customerId);
      const address = data.channel === MessageChannel.EMAIL ? customer.email : customer.phone;
      if (!address)
        throw refused(
          'NO_ADDRESS',
          'input.channel',
          `The customer has no ${data.channel === MessageChannel.EMAIL ? 'email address' : 'phone number'}`,
        );
      const normalised = normaliseAddress(address) ?? address;
      if (await this.suppressed(tx, normalised))
        throw refused('ADDRESS_SUPPRESSED', 'input.channel', 'No message goes to this address (suppressed)');
      const marketing = data.purpose === MessagePurpose.MARKETING;
      if (marketing && !(await this.granted(tx, data.customerId, data.channel)))
        throw new GraphQLError(`The customer has not granted ${data.channel} messages in this store`, {
          extensions: {
            code: ErrorCode.CONSENT_REQUIRED,
            fields: [{ field: 'input.purpose', message: 'needs the channel granted for marketing' }],
          },
        });
      return queueMessage(tx, this.ctx, {
        customerId: data.customerId,
        channel: data.channel,
        purpose: data.purpose,
        address: normalised,
        subject: data.subject ?? null,
        body: data.body,
      });
    });
  }

  forCustomer(customerId: string, args: { first?: number | null; after?: string | null }) {
    return connectionByParent(this.ctx, this.db, {
      relation: 'messagesByCustomer',
      parentId: customerId,
      table: messages,
      parentColumn: messages.customerId,
      sort: newestFirst,
      where: eq(messages.storeId, this.ctx.storeId),
      filterKey: null,
      args,
    });
  }

  /** The local transport's mailbox, newest first. */
  mailbox(args: { first?: number | null; after?: string | null }) {
    return tableConnection<MailboxRow>(this.db, {
      table: mailbox,
      sort: mailboxNewestFirst,
      conditions: [eq(mailbox.storeId, this.ctx.storeId)],
      args,
    });
  }

  async suppress(input: { address: string; reason: string }): Promise<boolean> {
    const data = parseInput(suppressAddressSchema, input, 'input');
    const address = normaliseAddress(data.address);
    if (!address) throw refused('INVALID_ADDRESS', 'input.address', 'must be an email address or a phone number');
    await this.db
      .insert(messageSuppressions)
      .values({ storeId: this.ctx.storeId, address, reason: data.reason, createdBy: this.ctx.principal.userId })
      .onConflictDoNothing();
    return true;
  }

  private async suppressed(tx: Tx, address: string): Promise<boolean> {
    const [row] = await tx
      .select({ address: messageSuppressions.address })
      .from(messageSuppressions)
      .where(and(eq(messageSuppressions.storeId, this.ctx.storeId), eq(messageSuppressions.address, address)));
    return Boolean(row);
  }

  private async granted(tx: Tx, customerId: string, channel: MessageChannel): Promise<boolean> {
    const [row] = await tx
      .select({ granted: channelConsents.granted })
      .from(channelConsents)
      .where(
        and(
          eq(channelConsents.storeId, this.ctx.storeId),
          eq(channelConsents.customerId, customerId),
          eq(channelConsents.channel, channel),
        ),
      );
    return row?.granted ?? false;
  }
}
