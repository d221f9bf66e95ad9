import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '@cg/subgraph';
import { LawfulBasis, MessageChannel, MessagePurpose, MessageStatus } from './message.enum.ts';

registerEnumType(MessageChannel, { name: 'MessageChannel' });
registerEnumType(MessagePurpose, {
  name: 'MessagePurpose',
  description: "MARKETING goes only on the channel's consent in the store; TRANSACTIONAL always.",
});
registerEnumType(LawfulBasis, { name: 'LawfulBasis', description: 'GDPR art. 6(1): CONSENT (a), CONTRACT (b).' });
registerEnumType(MessageStatus, { name: 'MessageStatus' });

@ObjectType({ description: 'C18: a message to a customer, as it was sent.' })
export class CustomerMessage {
  @Field(() => ID)
  id!: string;

  @Field(() => MessageChannel)
  channel!: MessageChannel;

  @Field(() => MessagePurpose)
  purpose!: MessagePurpose;

  @Field(() => LawfulBasis)
  lawfulBasis!: LawfulBasis;

  @Field(() => String, { description: 'The email address or E.164 phone number it went to.' })
  address!: string;

  @Field(() => String, { nullable: true })
  subject!: string | null;

  @Field(() => String)
  body!: string;

  @Field(() => MessageStatus)
  status!: MessageStatus;

  @Field(() => String, { nullable: true, description: "Why the transport refused it (FAILED): the transport's words." })
  failure!: string | null;

  @Field(() => String, { description: 'Staff user id.' })
  sentBy!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the transport took it.' })
  sentAt!: Date | null;
}

@ObjectType()
export class CustomerMessageConnection extends Connection(CustomerMessage) {}

@ObjectType({ description: "What the local transport delivered (when no SMTP_URL is set): the explorer's mailbox." })
class MailboxMessage {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  messageId!: string;

  @Field(() => ID)
  customerId!: string;

  @Field(() => MessageChannel)
  channel!: MessageChannel;

  @Field(() => String)
  address!: string;

  @Field(() => String, { nullable: true })
  subject!: string | null;

  @Field(() => String)
  body!: string;

  @Field(() => Date)
  deliveredAt!: Date;
}

@ObjectType()
export class MailboxMessageConnection extends Connection(MailboxMessage) {}
