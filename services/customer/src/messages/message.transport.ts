import { createTransport, type Transporter } from 'nodemailer';
import type { Tx } from '@cg/db';
import { mailbox, type MessageRow } from '../db/schema/index.ts';
import { MessageChannel } from './message.enum.ts';

/** Where a message goes once its outbox event is delivered (message.handlers.ts). */
export interface MessageTransport {
  /** Throws when the message could not be handed over; the handler records why. */
  deliver(tx: Tx, message: MessageRow): Promise<void>;
}

/**
 * The local transport: delivery is a row of the mailbox, in the delivering transaction, which the
 * explorer lists (`Query.mailbox`). `pnpm start` and the tests need no mail server.
 */
const mailboxTransport: MessageTransport = {
  async deliver(tx, message) {
    await tx.insert(mailbox).values({
      storeId: message.storeId,
      messageId: message.id,
      customerId: message.customerId,
      channel: message.channel,
      address: message.address,
      subject: message.subject,
      body: message.body,
    });
  },
};

/**
 * Production email over SMTP (nodemailer: pooled connections, TLS, the SMTP URL's credentials).
 * No SMS gateway is configured with it yet, so an SMS fails with that reason rather than vanish.
 */
function smtpTransport(url: string, from: string): MessageTransport {
  let transporter: Transporter | undefined;
  return {
    async deliver(_tx, message) {
      if (message.channel !== MessageChannel.EMAIL) throw new Error('No SMS transport is configured');
      transporter ??= createTransport(url);
      await transporter.sendMail({ from, to: message.address, subject: message.subject ?? '', text: message.body });
    },
  };
}

/** SMTP when `SMTP_URL` is set (with `MESSAGES_FROM`), else the mailbox. */
export function messageTransport(env: NodeJS.ProcessEnv = process.env): MessageTransport {
  const url = env.SMTP_URL?.trim();
  if (!url) return mailboxTransport;
  return smtpTransport(url, env.MESSAGES_FROM?.trim() || 'no-reply@localhost');
}
