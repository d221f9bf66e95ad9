import { and, eq } from 'drizzle-orm';
import type { Tx } from '@cg/db';
import {
  accountMessages,
  customerCredentials,
  passwordResetTokens,
  signInCodes,
  type CustomerRow,
} from '../db/schema/index.ts';
import { accountKey, clearFailures } from './sign-in-failures.ts';

/**
 * C19: an erased profile cannot sign in again, and nothing of its account stays: the password
 * hash, reset tokens, sign-in codes, undelivered messages, and failed sign-ins under its id or its email's key.
 */
export async function eraseAccount(tx: Tx, customer: CustomerRow): Promise<void> {
  const { storeId, id } = customer;
  await tx
    .delete(customerCredentials)
    .where(and(eq(customerCredentials.storeId, storeId), eq(customerCredentials.customerId, id)));
  await tx
    .delete(passwordResetTokens)
    .where(and(eq(passwordResetTokens.storeId, storeId), eq(passwordResetTokens.customerId, id)));
  await tx.delete(signInCodes).where(and(eq(signInCodes.storeId, storeId), eq(signInCodes.customerId, id)));
  await tx.delete(accountMessages).where(and(eq(accountMessages.storeId, storeId), eq(accountMessages.customerId, id)));
  await clearFailures(tx, storeId, customer.email ? accountKey(customer.email) : null, id);
}
