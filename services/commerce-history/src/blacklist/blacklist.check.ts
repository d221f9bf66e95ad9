import { and, eq, inArray, or, type SQL } from 'drizzle-orm';
import type { GraphQLError } from 'graphql';
import { customerBlacklisted, type BaseContext } from '@cg/subgraph';
import { blacklistedContacts, customerContacts } from '../db/schema.ts';
import type { CommerceHistoryDb } from '../context.ts';
import { emailHash, phoneHash } from './blacklist.handlers.ts';

/** What intake knows of an order's contact: a guest's phone and email, or the customer it names. */
interface OrderContact {
  index: number;
  customerId?: string | null;
  guest?: { phone?: string | null; email?: string | null } | null;
}

/**
 * C14: order intake refuses an order whose contact is on the store's blacklist: a guest order's
 * phone or email, or the phone or email of the registered customer it names, compared as keyed
 * hashes. Two statements for the whole batch, whatever its size.
 *
 * Through events, as the customer directory is: a blacklist entry added (or removed) a moment ago,
 * or a customer's new phone, counts here once its event is applied (normally well under a second);
 * an order recorded in that window is accepted (or refused) as before the change. A profile
 * registered before this subgraph kept contacts has no `customer_contacts` row until its phone or
 * email changes: its orders are checked as if it had no contact (a backfill is still to come).
 */
export async function blacklistedContactErrors(
  db: CommerceHistoryDb,
  ctx: BaseContext,
  orders: readonly OrderContact[],
): Promise<Map<number, GraphQLError>> {
  const errors = new Map<number, GraphQLError>();
  const customerIds = [...new Set(orders.flatMap((order) => (order.customerId ? [order.customerId] : [])))];
  const contacts = customerIds.length
    ? await db
        .select()
        .from(customerContacts)
        .where(and(eq(customerContacts.storeId, ctx.storeId), inArray(customerContacts.customerId, customerIds)))
    : [];
  const byCustomer = new Map(contacts.map((row) => [row.customerId, row]));
  // Each order's hashes with the input field that refuses it.
  const checks = orders.map((order) => {
    if (order.customerId) {
      const known = byCustomer.get(order.customerId);
      return { index: order.index, field: 'input.customerId', phone: known?.phoneHash, email: known?.emailHash };
    }
    return {
      index: order.index,
      phone: phoneHash(order.guest?.phone),
      email: emailHash(order.guest?.email),
      phoneField: 'input.guest.phone',
      emailField: 'input.guest.email',
    };
  });
  const phones = [...new Set(checks.flatMap((check) => (check.phone ? [check.phone] : [])))];
  const emails = [...new Set(checks.flatMap((check) => (check.email ? [check.email] : [])))];
  if (phones.length === 0 && emails.length === 0) return errors;
  const alternatives: SQL[] = [];
  if (phones.length) alternatives.push(inArray(blacklistedContacts.phoneHash, phones));
  if (emails.length) alternatives.push(inArray(blacklistedContacts.emailHash, emails));
  const listed = await db
    .select({ phoneHash: blacklistedContacts.phoneHash, emailHash: blacklistedContacts.emailHash })
    .from(blacklistedContacts)
    .where(
      and(eq(blacklistedContacts.storeId, ctx.storeId), eq(blacklistedContacts.active, true), or(...alternatives)),
    );
  const listedPhones = new Set(listed.flatMap((row) => (row.phoneHash ? [row.phoneHash] : [])));
  const listedEmails = new Set(listed.flatMap((row) => (row.emailHash ? [row.emailHash] : [])));
  for (const check of checks) {
    const phone = check.phone ? listedPhones.has(check.phone) : false;
    const email = check.email ? listedEmails.has(check.email) : false;
    if (!phone && !email) continue;
    const field = check.field ?? (phone ? check.phoneField : check.emailField);
    errors.set(check.index, customerBlacklisted(field!));
  }
  return errors;
}
