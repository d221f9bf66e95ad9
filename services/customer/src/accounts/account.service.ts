import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { issuesTokens, signToken } from '@cg/auth';
import type { Tx } from '@cg/db';
import { conflict, invalidField, notFound, parseInput, requireId, type BaseContext } from '@cg/subgraph';
import {
  customerCredentials,
  customers,
  passwordResetTokens,
  signInCodes,
  type CustomerRow,
} from '../db/schema/index.ts';
import type { CustomerDb } from '../context.ts';
import { audit } from '../audit-trail.ts';
import { CustomerService, ERASED_CUSTOMER } from '../customers/customer.service.ts';
import { CustomerStatus } from '../customers/customer.type.ts';
import { writeTimeline } from '../timeline/timeline.service.ts';
import { TimelineEntryKind } from '../timeline/timeline.enum.ts';
import { accountSettings } from './account.config.ts';
import { blockedCustomer, invalidCredentials, signInElsewhere, tooManyAttempts } from './account.errors.ts';
import {
  codeSchema,
  emailSchema,
  registerSchema,
  resetSchema,
  signInSchema,
  type RegisterCustomerInput,
} from './account.inputs.ts';
import {
  deliverPasswordReset,
  deliverSignInCode,
  discardPasswordResets,
  discardSignInCodes,
} from './account-messages.ts';
import { hashPassword, verifyPassword } from './password.ts';
import {
  accountKey,
  clearFailures,
  clientAddress,
  lockAccount,
  recordFailure,
  retryAfter,
} from './sign-in-failures.ts';

export interface Session {
  token: string;
  expiresAt: Date;
  customer: CustomerRow;
}

/**
 * A reset token is 32 random bytes: nobody can guess one, so a fast sha-256 is enough to keep it
 * unusable to whoever reads the table (no salt or slow hash needed, unlike a password), and
 * finding a token by its hash is one index lookup.
 */
const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * C1, C5: a storefront's customers register, sign in and reset their password; staff send a reset.
 * Every answer given to a storefront is the same whether or not an email has an account, except
 * registration's, which (like createCustomer) must say that the email is taken.
 */
export class AccountService {
  constructor(
    private readonly db: CustomerDb,
    private readonly ctx: BaseContext,
  ) {}

  /**
   * createCustomer's path (validation, identity, store profile, guest orders, events), acted by the
   * new customer themself, and the password, if any, with it in one transaction. The email's
   * advisory lock and unique index make two registrations of one email one profile.
   */
  async register(input: RegisterCustomerInput): Promise<Session> {
    if (!issuesTokens()) throw signInElsewhere();
    const { password, ...profile } = input;
    parseInput(registerSchema, { email: input.email, password }, 'input');
    const passwordHash = password ? await hashPassword(password) : null;
    const id = randomUUID();
    const self: BaseContext = { ...this.ctx, principal: { kind: 'customer', userId: id, storeId: this.ctx.storeId } };
    const customer = await this.db.transaction(async (tx) => {
      // A savepoint within this one: the profile and its password commit together or not at all.
      const created = await new CustomerService(tx as unknown as CustomerDb, self).create(profile, { id });
      if (passwordHash)
        await tx.insert(customerCredentials).values({ storeId: this.ctx.storeId, customerId: id, passwordHash });
      return created;
    });
    return this.session(customer);
  }

  /**
   * Refused, counted in this store's sign_in_failures, after too many failures of the account or
   * the client address within the window (TOO_MANY_ATTEMPTS, even with the right password); an
   * unknown email and a wrong password are one error; a blocked customer's right password is
   * CUSTOMER_BLOCKED.
   */
  async signIn(email: string, password: string): Promise<Session> {
    const data = parseInput(signInSchema, { email, password });
    return this.signInWith(data.email, async (tx, customer) => {
      const [credential] = customer
        ? await tx
            .select({ passwordHash: customerCredentials.passwordHash })
            .from(customerCredentials)
            .where(
              and(eq(customerCredentials.storeId, customer.storeId), eq(customerCredentials.customerId, customer.id)),
            )
        : [];
      return verifyPassword(credential?.passwordHash ?? null, data.password);
    });
  }

  /** Passwordless (C1): emails a six-digit code if the email is a customer's here; always true. */
  async requestCode(email: string): Promise<boolean> {
    const data = parseInput(emailSchema, { email });
    const { storeId } = this.ctx;
    const settings = accountSettings();
    await this.db.transaction(async (tx) => {
      const customer = await this.byEmail(tx, data.email, { lock: true });
      if (!customer) return;
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const expiresAt = new Date(Date.now() + settings.codeLifetimeSeconds * 1000);
      const recent = and(
        eq(signInCodes.storeId, storeId),
        eq(signInCodes.customerId, customer.id),
        gt(signInCodes.createdAt, sql`now() - make_interval(secs => ${settings.windowSeconds})`),
      );
      if ((await tx.$count(signInCodes, recent)) >= settings.maxEmails) return;
      // One code at a time: asking again ends the one before (kept, used, to be counted above).
      await tx
        .update(signInCodes)
        .set({ usedAt: new Date() })
        .where(
          and(eq(signInCodes.storeId, storeId), eq(signInCodes.customerId, customer.id), isNull(signInCodes.usedAt)),
        );
      await tx
        .insert(signInCodes)
        .values({ storeId, customerId: customer.id, codeHash: await hashPassword(code), expiresAt });
      await deliverSignInCode(tx, { storeId, customerId: customer.id, email: customer.email!, code, expiresAt });
    });
    return true;
  }

  /** Like signIn, with the emailed code instead of a password; a code works once. */
  async signInWithCode(email: string, code: string): Promise<Session> {
    const data = parseInput(codeSchema, { email, code });
    const { storeId } = this.ctx;
    return this.signInWith(data.email, async (tx, customer) => {
      const [current] = customer
        ? await tx
            .select()
            .from(signInCodes)
            .where(
              and(
                eq(signInCodes.storeId, storeId),
                eq(signInCodes.customerId, customer.id),
                isNull(signInCodes.usedAt),
                gt(signInCodes.expiresAt, sql`now()`),
              ),
            )
        : [];
      if (!(await verifyPassword(current?.codeHash ?? null, data.code))) return false;
      await tx
        .update(signInCodes)
        .set({ usedAt: new Date() })
        .where(and(eq(signInCodes.storeId, storeId), eq(signInCodes.id, current!.id)));
      await discardSignInCodes(tx, storeId, customer!.id);
      return true;
    });
  }

  /**
   * The failure limits around a proof of who the caller is (`proves`: a password, a code), given
   * the email's profile or null. Decided in a savepoint that commits with the request: a failure
   * is counted though the request answers an error.
   */
  private async signInWith(
    email: string,
    proves: (tx: Tx, customer: CustomerRow | null) => Promise<boolean>,
  ): Promise<Session> {
    if (!issuesTokens()) throw signInElsewhere();
    const settings = accountSettings();
    const { storeId } = this.ctx;
    const key = accountKey(email);
    const ip = clientAddress(this.ctx.ip);
    const outcome = await this.db.transaction(async (tx) => {
      await lockAccount(tx, storeId, key);
      const wait = await retryAfter(tx, { storeId, key, ip }, settings);
      if (wait !== null) return { kind: 'locked', wait } as const;
      const customer = await this.byEmail(tx, email);
      if (!(await proves(tx, customer))) {
        await recordFailure(tx, { storeId, key, ip, customerId: customer?.id ?? null });
        return { kind: 'failed' } as const;
      }
      await clearFailures(tx, storeId, key, customer!.id);
      return { kind: 'signed-in', customer: customer! } as const;
    });
    if (outcome.kind === 'locked') throw tooManyAttempts(outcome.wait);
    if (outcome.kind === 'failed') throw invalidCredentials();
    if (outcome.customer.status === CustomerStatus.BLOCKED) throw blockedCustomer();
    return this.session(outcome.customer);
  }

  /**
   * The store's live profile with this email (not erased, not deleted: a deleted profile's email may
   * belong to a new registration); locked when a new token or code is issued for it.
   */
  private async byEmail(tx: Tx, email: string, options: { lock?: boolean } = {}): Promise<CustomerRow | null> {
    const query = tx
      .select()
      .from(customers)
      .where(
        and(
          eq(customers.storeId, this.ctx.storeId),
          eq(customers.emailKey, email.toLowerCase()),
          isNull(customers.erasedAt),
          isNull(customers.deletedAt),
        ),
      );
    const [customer] = options.lock ? await query.for('update') : await query;
    return customer ?? null;
  }

  /** Always true, whether or not the email has a profile here: the answer tells nobody who is a customer. */
  async requestReset(email: string): Promise<boolean> {
    const data = parseInput(emailSchema, { email });
    await this.db.transaction(async (tx) => {
      const customer = await this.byEmail(tx, data.email, { lock: true });
      if (!customer) return;
      // Mail bombing through the storefront stops at the limit; staff's resets are not counted.
      const { windowSeconds, maxEmails } = accountSettings();
      const recent = and(
        eq(passwordResetTokens.storeId, this.ctx.storeId),
        eq(passwordResetTokens.customerId, customer.id),
        isNull(passwordResetTokens.requestedBy),
        gt(passwordResetTokens.createdAt, sql`now() - make_interval(secs => ${windowSeconds})`),
      );
      if ((await tx.$count(passwordResetTokens, recent)) < maxEmails) await this.issueReset(tx, customer, null);
    });
    return true;
  }

  /** Staff send the customer a reset link from the admin (C5), also to a profile without a password yet. */
  async sendReset(customerId: string): Promise<CustomerRow> {
    requireId(customerId);
    return this.db.transaction(async (tx) => {
      const [customer] = await tx
        .select()
        .from(customers)
        .where(and(eq(customers.storeId, this.ctx.storeId), eq(customers.id, customerId)))
        .for('update');
      if (!customer) throw notFound('Customer', customerId);
      if (customer.erasedAt) throw conflict(ERASED_CUSTOMER);
      if (!customer.email) throw conflict('The customer has no email to send a password reset to');
      const expiresAt = await this.issueReset(tx, customer, this.ctx.principal.userId);
      await audit.record(tx, this.ctx, {
        action: 'customer.password_reset',
        entityType: 'Customer',
        entityId: customer.id,
        customerId: customer.id,
        before: null,
        after: { expiresAt: expiresAt.toISOString() },
      });
      return customer;
    });
  }

  /**
   * Sets the password of the token's customer, once: the token is claimed by the same statement
   * that checks it is unused and unexpired, so two uses at once cannot both succeed. The
   * account's failed sign-ins are forgotten.
   */
  async reset(token: string, newPassword: string): Promise<boolean> {
    const data = parseInput(resetSchema, { token, newPassword });
    const { storeId } = this.ctx;
    await this.db.transaction(async (tx) => {
      const [claimed] = await tx
        .update(passwordResetTokens)
        .set({ usedAt: new Date() })
        .where(
          and(
            eq(passwordResetTokens.storeId, storeId),
            eq(passwordResetTokens.tokenHash, tokenHash(data.token)),
            isNull(passwordResetTokens.usedAt),
            gt(passwordResetTokens.expiresAt, sql`now()`),
          ),
        )
        .returning({ customerId: passwordResetTokens.customerId });
      if (!claimed) throw invalidField('token', 'is not a valid reset token, or was used, or has expired');
      const [customer] = await tx
        .select()
        .from(customers)
        .where(and(eq(customers.storeId, storeId), eq(customers.id, claimed.customerId)));
      if (!customer || customer.erasedAt) throw invalidField('token', 'is not a valid reset token');
      const passwordHash = await hashPassword(data.newPassword);
      await tx
        .insert(customerCredentials)
        .values({ storeId, customerId: customer.id, passwordHash })
        .onConflictDoUpdate({
          target: [customerCredentials.storeId, customerCredentials.customerId],
          set: { passwordHash, updatedAt: new Date() },
        });
      await clearFailures(tx, storeId, customer.email ? accountKey(customer.email) : null, customer.id);
      await discardPasswordResets(tx, storeId, customer.id);
      await writeTimeline(tx, [
        {
          storeId,
          customerId: customer.id,
          kind: TimelineEntryKind.ACCOUNT,
          summary: 'Password changed with a reset link',
          data: {},
          actor: customer.id,
          orderId: null,
        },
      ]);
    });
    return true;
  }

  /**
   * A new one-time token replaces any unused one, goes to the delivery port, and the timeline says
   * a reset was sent and by whom. Returns when it expires.
   */
  private async issueReset(tx: Tx, customer: CustomerRow, staffUserId: string | null): Promise<Date> {
    const { storeId } = this.ctx;
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + accountSettings().resetLifetimeSeconds * 1000);
    // The newest link is the one that works; older ones are ended, and kept to be counted.
    await tx
      .update(passwordResetTokens)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(passwordResetTokens.storeId, storeId),
          eq(passwordResetTokens.customerId, customer.id),
          isNull(passwordResetTokens.usedAt),
        ),
      );
    await tx.insert(passwordResetTokens).values({
      storeId,
      customerId: customer.id,
      tokenHash: tokenHash(token),
      requestedBy: staffUserId,
      expiresAt,
    });
    await deliverPasswordReset(tx, { storeId, customerId: customer.id, email: customer.email!, token, expiresAt });
    await writeTimeline(tx, [
      {
        storeId,
        customerId: customer.id,
        kind: TimelineEntryKind.ACCOUNT,
        summary: staffUserId
          ? 'Password reset link sent by staff'
          : 'Password reset link sent at the customer’s request',
        data: { expiresAt: expiresAt.toISOString() },
        actor: staffUserId ?? customer.id,
        orderId: null,
      },
    ]);
    return expiresAt;
  }

  /** A customer token for the profile, of the kind `me` and every customer field accept. */
  private async session(customer: CustomerRow): Promise<Session> {
    const token = await signToken(
      { kind: 'customer', userId: customer.id, storeId: customer.storeId },
      { expiresIn: accountSettings().tokenLifetime },
    );
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number };
    return { token, expiresAt: new Date(exp * 1000), customer };
  }
}
