import { sql } from 'drizzle-orm';
import type { Tx } from '@cg/db';
import { identities } from '../db/schema/index.ts';

interface IdentityData {
  email?: string | null;
  phone?: string | null;
  firstName: string;
  lastName: string;
  gender?: string | null;
  birthDate?: string | null;
  language?: string | null;
}

/**
 * T2: finds the person's global identity by email, then phone, or creates it. Two stores
 * registering the same person at once meet at the identity's unique indexes; the loser reads
 * the winner's row.
 */
export async function resolveIdentity(tx: Tx, data: IdentityData): Promise<string> {
  const existing = await findIdentity(tx, data);
  if (existing) return existing;
  const [created] = await tx
    .insert(identities)
    .values({
      email: data.email ?? null,
      phone: data.phone ?? null,
      firstName: data.firstName,
      lastName: data.lastName,
      gender: (data.gender as typeof identities.$inferInsert.gender) ?? null,
      birthDate: data.birthDate ?? null,
      language: data.language ?? null,
    })
    .onConflictDoNothing()
    .returning({ id: identities.id });
  if (created) return created.id;
  const raced = await findIdentity(tx, data);
  if (!raced) throw new Error('Identity vanished after a conflicting insert');
  return raced;
}

/** Email first, then phone; requests may not read identities themselves (db/row-security.ts). */
async function findIdentity(tx: Tx, data: IdentityData): Promise<string | undefined> {
  if (!data.email && !data.phone) return undefined;
  const [row] = await tx.execute<{ id: string | null }>(
    sql`select customer.identity_by_contact(${data.email ?? null}, ${data.phone ?? null}) as id`,
  );
  return row?.id ?? undefined;
}
