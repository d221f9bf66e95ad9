import { and, eq } from 'drizzle-orm';
import type { Tx } from '@cg/db';
import { accountMessages } from '../db/schema/index.ts';

export interface PasswordResetMessage {
  storeId: string;
  customerId: string;
  email: string;
  /** The raw one-time token the link carries: it exists only here and in the customer's mailbox. */
  token: string;
  expiresAt: Date;
}

/**
 * Where account messages go. Sending email is the messaging subgraph's (to come, with its own
 * outbox); until then this port keeps each message in `account_messages`, in the transaction that
 * issued it, for that subgraph to send and delete. Not `customer.*` events: those are replayed to
 * every consumer and kept in the outbox, a log no secret belongs in. No GraphQL field reads the
 * table, a customer request sees only its own rows (row-level security), and a used or expired
 * token there opens nothing.
 */
export async function deliverPasswordReset(tx: Tx, message: PasswordResetMessage): Promise<void> {
  // The newest link is the one that works: an older message would only confuse.
  await discardMessages(tx, message.storeId, message.customerId, PASSWORD_RESET);
  await tx.insert(accountMessages).values({
    storeId: message.storeId,
    customerId: message.customerId,
    kind: PASSWORD_RESET,
    recipient: message.email,
    token: message.token,
    expiresAt: message.expiresAt,
  });
}

/** The same port for passwordless sign-in: the message gives the code to type in. */
export async function deliverSignInCode(tx: Tx, message: Omit<PasswordResetMessage, 'token'> & { code: string }) {
  await discardMessages(tx, message.storeId, message.customerId, SIGN_IN_CODE);
  await tx.insert(accountMessages).values({
    storeId: message.storeId,
    customerId: message.customerId,
    kind: SIGN_IN_CODE,
    recipient: message.email,
    token: message.code,
    expiresAt: message.expiresAt,
  });
}

const PASSWORD_RESET = 'password_reset';
const SIGN_IN_CODE = 'sign_in_code';

export const discardPasswordResets = (tx: Tx, storeId: string, customerId: string) =>
  discardMessages(tx, storeId, customerId, PASSWORD_RESET);

export const discardSignInCodes = (tx: Tx, storeId: string, customerId: string) =>
  discardMessages(tx, storeId, customerId, SIGN_IN_CODE);

async function discardMessages(tx: Tx, storeId: string, customerId: string, kind: string): Promise<void> {
  await tx
    .delete(accountMessages)
    .where(
      and(
        eq(accountMessages.storeId, storeId),
        eq(accountMessages.customerId, customerId),
        eq(accountMessages.kind, kind),
      ),
    );
}
