import { Field, ID, InputType } from 'type-graphql';
import { z } from 'zod';
import { zx } from '@cg/subgraph';
import { MessageChannel, MessagePurpose } from './message.enum.ts';

@InputType()
export class SendCustomerMessageInput {
  @Field(() => ID) customerId!: string;
  @Field(() => MessageChannel) channel!: MessageChannel;
  @Field(() => MessagePurpose) purpose!: MessagePurpose;
  @Field(() => String, {
    nullable: true,
    description: 'Required for an email, none for an SMS; at most 200 characters.',
  })
  subject?: string | null;
  @Field(() => String, { description: 'Plain text: at most 20,000 characters, 918 for an SMS (six segments).' })
  body!: string;
}

@InputType()
export class SuppressMessageAddressInput {
  @Field(() => String, { description: 'An email address, or a phone number with its country code.' }) address!: string;
  @Field(() => String, { description: 'E.g. "hard bounce", "complaint"; at most 200 characters.' }) reason!: string;
}

/** An SMS is one to a few segments; an email body is text, not a campaign builder's HTML. */
const SMS_MAX = 918;
const EMAIL_MAX = 20_000;

export const sendCustomerMessageSchema = z
  .object({
    customerId: zx.id,
    channel: z.enum(MessageChannel),
    purpose: z.enum(MessagePurpose),
    subject: zx.text(200).nullish(),
    body: zx.text(EMAIL_MAX),
  })
  .superRefine((input, ctx) => {
    if (input.channel === MessageChannel.EMAIL && !input.subject)
      ctx.addIssue({ code: 'custom', path: ['subject'], message: 'is required for an email' });
    if (input.channel === MessageChannel.SMS && input.subject)
      ctx.addIssue({ code: 'custom', path: ['subject'], message: 'is for emails only' });
    if (input.channel === MessageChannel.SMS && input.body.length > SMS_MAX)
      ctx.addIssue({ code: 'custom', path: ['body'], message: `must be at most ${SMS_MAX} characters for an SMS` });
  });

export const suppressAddressSchema = z.object({
  address: z
    .string()
    .trim()
    .min(3)
    .max(320)
    .transform((address) => address.toLowerCase()),
  reason: zx.text(200),
});
