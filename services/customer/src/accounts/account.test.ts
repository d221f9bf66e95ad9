import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '@cg/auth';
import { eventually, startTestGraph, type GraphQLResponse, type TestGraph, type TestStore } from '@cg/testing';

/** C1, C5 through the gateway: registration, sign-in, failed-attempt limits, password resets, erasure. */
let graph: TestGraph;

const REGISTER = `mutation($input: RegisterCustomerInput!) {
  registerCustomer(input: $input) { token expiresAt customer { id email firstName } }
}`;
const SIGN_IN = `mutation($email: String!, $password: String!) {
  signIn(email: $email, password: $password) { token customer { id } }
}`;
const REQUEST_RESET = `mutation($email: String!) { requestPasswordReset(email: $email) }`;
const RESET = `mutation($token: String!, $password: String!) { resetPassword(token: $token, newPassword: $password) }`;
const ME = `{ me { id email } }`;

const errorOf = (response: GraphQLResponse) => response.errors?.[0];
const codeOf = (response: GraphQLResponse) => errorOf(response)?.extensions?.code;
const sql = () => graph.graph.subgraphs.customer.db.sql;

/** A store, and its storefront: a guest token, as the store's web shop holds before anyone signs in. */
async function storefront(name: string) {
  const store = await graph.createStore(name);
  const guest = await signToken({ kind: 'guest', userId: randomUUID(), storeId: store.id });
  const as = (token: string) => (query: string, variables?: Record<string, unknown>) =>
    graph.request(query, variables, { token });
  const shop = as(guest);
  const register = async (email: string, password = 'correct horse battery', extra: Record<string, unknown> = {}) => {
    const response = await shop(REGISTER, {
      input: { firstName: 'Reg', lastName: 'Istered', email, password, ...extra },
    });
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data.registerCustomer as { token: string; customer: { id: string; email: string } };
  };
  const signIn = (email: string, password: string) => shop(SIGN_IN, { email, password });
  return { store, guest, shop, as, register, signIn };
}

/** The raw token of the customer's last message of a kind: what the messaging subgraph will email. */
async function lastMessage(storeId: string, customerId: string, kind: string): Promise<string> {
  const [row] = await sql()<{ token: string }[]>`
    select token from customer.account_messages
    where store_id = ${storeId} and customer_id = ${customerId} and kind = ${kind}
    order by created_at desc limit 1`;
  expect(row, `a ${kind} message`).toBeDefined();
  return row!.token;
}
const lastResetToken = (storeId: string, customerId: string) => lastMessage(storeId, customerId, 'password_reset');

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.close());

describe('registration', () => {
  let shop: Awaited<ReturnType<typeof storefront>>;
  let store: TestStore;
  beforeAll(async () => {
    shop = await storefront('Registration store');
    store = shop.store;
  });

  it('makes the profile, links earlier guest orders, and its token and a later sign-in both work for me', async () => {
    await store.recordOrder({ guest: { name: 'Rita Guest', email: 'rita@shop.example' }, unitPrice: 700 });
    const registered = await shop.register('Rita@Shop.example', 'a long enough secret', { phone: '+31612340001' });
    expect(registered.customer.email).toBe('Rita@Shop.example');
    const mine = await graph.request(ME, {}, { token: registered.token });
    expect(mine.data.me).toEqual({ id: registered.customer.id, email: 'Rita@Shop.example' });
    // C1: the guest order became the new customer's.
    await eventually(async () => {
      const { data } = await graph.request(`{ me { orders { totalCount } } }`, {}, { token: registered.token });
      expect(data.me.orders.totalCount).toBe(1);
    });
    // Opt-in choices go through the consent flow with the customer's own token: the record, the
    // store's proof, keeps the address the gateway saw.
    const optIn = await graph.request(
      `mutation($id: ID!) { grantPermission(input: { customerId: $id, channel: EMAIL, source: REGISTRATION }) { action } }`,
      { id: registered.customer.id },
      { token: registered.token },
    );
    expect(optIn.errors).toBeUndefined();

    const signedIn = await shop.signIn(' RITA@shop.example ', 'a long enough secret');
    expect(signedIn.errors).toBeUndefined();
    expect(signedIn.data.signIn.customer.id).toBe(registered.customer.id);
    const again = await graph.request(ME, {}, { token: signedIn.data.signIn.token });
    expect(again.data.me.id).toBe(registered.customer.id);

    // Staff see the registration as the customer's own doing, on the profile's timeline.
    const { customer } = await store.data(
      `query($id: ID!) { customer(id: $id) { timeline { edges { node { kind actor } } } } }`,
      { id: registered.customer.id },
    );
    expect(customer.timeline.edges.map((edge: any) => edge.node)).toContainEqual({
      kind: 'CREATED',
      actor: registered.customer.id,
    });
  });

  it('checks the input like createCustomer, and the password, changing nothing', async () => {
    const short = await shop.shop(REGISTER, {
      input: { firstName: 'Al', lastName: 'Short', email: 'short@shop.example', password: 'seven77' },
    });
    expect(codeOf(short)).toBe('BAD_USER_INPUT');
    expect(errorOf(short)?.extensions?.fields).toEqual([{ field: 'input.password', message: expect.any(String) }]);
    const badPhone = await shop.shop(REGISTER, {
      input: { firstName: 'Al', lastName: 'Phone', email: 'phone@shop.example', password: 'long enough', phone: '12' },
    });
    expect(codeOf(badPhone)).toBe('BAD_USER_INPUT');
    expect(errorOf(badPhone)?.extensions?.fields?.[0]?.field).toBe('input.phone');
    const [{ count }] = await sql()<[{ count: number }]>`
      select count(*)::int as count from customer.customers
      where store_id = ${store.id} and email in ('short@shop.example', 'phone@shop.example')`;
    expect(count).toBe(0);
    expect(errorOf(short)?.message).not.toMatch(/select|insert|seven77/i);
  });

  it('is for storefronts: a staff token is refused, and an email the store has is CONFLICT', async () => {
    const staff = await store.request(REGISTER, {
      input: { firstName: 'S', lastName: 'Taff', email: 'staff@shop.example', password: 'long enough' },
    });
    expect(codeOf(staff)).toBe('FORBIDDEN');
    await store.createCustomer({ firstName: 'Known', lastName: 'Before', email: 'known@shop.example' });
    const taken = await shop.shop(REGISTER, {
      input: { firstName: 'Known', lastName: 'Again', email: 'KNOWN@shop.example', password: 'long enough' },
    });
    expect(codeOf(taken)).toBe('CONFLICT');
  });

  it('makes one profile of registrations of one email at once', async () => {
    const responses = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        shop.shop(REGISTER, {
          input: { firstName: `Twin${i}`, lastName: 'Race', email: 'twins@shop.example', password: `password ${i}` },
        }),
      ),
    );
    expect(responses.filter((response) => !response.errors)).toHaveLength(1);
    expect(responses.filter((response) => codeOf(response) === 'CONFLICT')).toHaveLength(3);
    const [{ count }] = await sql()<[{ count: number }]>`
      select count(*)::int as count from customer.customers where store_id = ${store.id} and lower(email) = 'twins@shop.example'`;
    expect(count).toBe(1);
    const [{ credentials }] = await sql()<[{ credentials: number }]>`
      select count(*)::int as credentials from customer.customer_credentials c
      join customer.customers p on p.store_id = c.store_id and p.id = c.customer_id
      where p.store_id = ${store.id} and lower(p.email) = 'twins@shop.example'`;
    expect(credentials).toBe(1);
  });

  it('keeps the password out of reach: stored as an argon2id hash, in no GraphQL type', async () => {
    const registered = await shop.register('hash@shop.example', 'never stored in clear');
    const [row] = await sql()<{ password_hash: string }[]>`
      select password_hash from customer.customer_credentials where customer_id = ${registered.customer.id}`;
    expect(row!.password_hash).toMatch(/^\$argon2id\$/);
    expect(row!.password_hash).not.toContain('never stored in clear');
    const { data } = await store.request(`{ __type(name: "Customer") { fields { name } } }`);
    const names: string[] = data.__type.fields.map((field: { name: string }) => field.name);
    expect(names.filter((name) => /password|credential/i.test(name))).toEqual([]);
  });
});

describe('sign-in', () => {
  let shop: Awaited<ReturnType<typeof storefront>>;
  beforeAll(async () => {
    shop = await storefront('Sign-in store');
  });

  it('gives an unknown email and a wrong password the same answer', async () => {
    await shop.register('same@signin.example', 'the right password');
    const unknown = await shop.signIn('nobody@signin.example', 'the right password');
    const wrong = await shop.signIn('same@signin.example', 'the wrong password');
    expect(codeOf(unknown)).toBe('INVALID_CREDENTIALS');
    expect(errorOf(wrong)).toEqual(errorOf(unknown));
  });

  it('refuses an account after 5 failures, the right password too, until they age out of the window', async () => {
    const { customer } = await shop.register('locked@signin.example', 'the right password');
    for (let i = 0; i < 5; i += 1) {
      expect(codeOf(await shop.signIn('locked@signin.example', `wrong ${i}`)), `try ${i}`).toBe('INVALID_CREDENTIALS');
    }
    const locked = await shop.signIn('locked@signin.example', 'the right password');
    expect(codeOf(locked)).toBe('TOO_MANY_ATTEMPTS');
    const retryAfter = errorOf(locked)?.extensions?.retryAfter as number;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // Refusals while locked are not counted: the account is not locked for longer.
    const [{ count }] = await sql()<[{ count: number }]>`
      select count(*)::int as count from customer.sign_in_failures where customer_id = ${customer.id}`;
    expect(count).toBe(5);
    // An unknown email is limited alike, so the limit tells nobody which emails have accounts.
    for (let i = 0; i < 5; i += 1) await shop.signIn('ghost@signin.example', `wrong ${i}`);
    expect(codeOf(await shop.signIn('ghost@signin.example', 'anything'))).toBe('TOO_MANY_ATTEMPTS');

    // The window passes (the failures were made 16 minutes ago): the right password works and clears the count.
    await sql()`update customer.sign_in_failures set failed_at = failed_at - interval '16 minutes'
      where store_id = ${shop.store.id}`;
    const after = await shop.signIn('locked@signin.example', 'the right password');
    expect(after.errors).toBeUndefined();
    const [{ left }] = await sql()<[{ left: number }]>`
      select count(*)::int as left from customer.sign_in_failures where customer_id = ${customer.id}`;
    expect(left).toBe(0);
  });

  it('refuses a client address after its own limit of failures over every account it tries', async () => {
    const other = await storefront('Address store');
    await other.register('victim@address.example', 'the right password');
    const previous = process.env.SIGN_IN_MAX_FAILURES_PER_IP;
    process.env.SIGN_IN_MAX_FAILURES_PER_IP = '3';
    try {
      for (let i = 0; i < 3; i += 1) {
        expect(codeOf(await other.signIn(`spray${i}@address.example`, 'guess'))).toBe('INVALID_CREDENTIALS');
      }
      const refused = await other.signIn('victim@address.example', 'the right password');
      expect(codeOf(refused)).toBe('TOO_MANY_ATTEMPTS');
      const ips = await sql()<{ ip: string }[]>`
        select distinct ip from customer.sign_in_failures where store_id = ${other.store.id}`;
      expect(ips).toHaveLength(1);
      expect(ips[0]!.ip).toMatch(/^(127\.0\.0\.1|::1)$/);
    } finally {
      if (previous === undefined) delete process.env.SIGN_IN_MAX_FAILURES_PER_IP;
      else process.env.SIGN_IN_MAX_FAILURES_PER_IP = previous;
    }
  });

  it('refuses a blocked customer with CUSTOMER_BLOCKED, only once the password is right', async () => {
    const { customer } = await shop.register('blocked@signin.example', 'the right password');
    await shop.store.data(`mutation($id: ID!) { updateCustomer(id: $id, input: { status: BLOCKED }) { id } }`, {
      id: customer.id,
    });
    expect(codeOf(await shop.signIn('blocked@signin.example', 'the right password'))).toBe('CUSTOMER_BLOCKED');
    expect(codeOf(await shop.signIn('blocked@signin.example', 'a wrong password'))).toBe('INVALID_CREDENTIALS');
  });

  it('signs a deleted profile in no more, and the email registered again signs in as the new profile', async () => {
    const { customer: old } = await shop.register('deleted@signin.example', 'the old password');
    await shop.store.data(`mutation($id: ID!) { deleteCustomer(id: $id) { id } }`, { id: old.id });
    expect(codeOf(await shop.signIn('deleted@signin.example', 'the old password'))).toBe('INVALID_CREDENTIALS');
    const { customer: fresh } = await shop.register('deleted@signin.example', 'the new password');
    expect(fresh.id).not.toBe(old.id);
    const signedIn = await shop.signIn('deleted@signin.example', 'the new password');
    expect(signedIn.errors).toBeUndefined();
    expect(signedIn.data.signIn.customer.id).toBe(fresh.id);
  });

  it('is checked: an email that is not one is BAD_USER_INPUT on email', async () => {
    const response = await shop.signIn('not an email', 'whatever');
    expect(codeOf(response)).toBe('BAD_USER_INPUT');
    expect(errorOf(response)?.extensions?.fields?.[0]?.field).toBe('email');
  });
});

describe('password reset', () => {
  let shop: Awaited<ReturnType<typeof storefront>>;
  beforeAll(async () => {
    shop = await storefront('Reset store');
  });

  it('answers the same for any email, and a token sets the password once', async () => {
    const { customer } = await shop.register('forgot@reset.example', 'the old password');
    const known = await shop.shop(REQUEST_RESET, { email: 'forgot@reset.example' });
    const unknown = await shop.shop(REQUEST_RESET, { email: 'stranger@reset.example' });
    expect(known).toEqual(unknown);
    expect(known.data).toEqual({ requestPasswordReset: true });

    const token = await lastResetToken(shop.store.id, customer.id);
    // Only the token's hash is kept with the account.
    const [stored] = await sql()<{ token_hash: string; expires_at: string }[]>`
      select token_hash, expires_at from customer.password_reset_tokens where customer_id = ${customer.id}`;
    expect(stored!.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(new Date(stored!.expires_at).getTime() - Date.now()).toBeGreaterThan(55 * 60_000);

    // Locked out by failures first: the reset starts the count again.
    for (let i = 0; i < 5; i += 1) await shop.signIn('forgot@reset.example', `wrong ${i}`);
    expect(codeOf(await shop.signIn('forgot@reset.example', 'the old password'))).toBe('TOO_MANY_ATTEMPTS');

    expect((await shop.shop(RESET, { token, password: 'the new password' })).data).toEqual({ resetPassword: true });
    const twice = await shop.shop(RESET, { token, password: 'another new one' });
    expect(codeOf(twice)).toBe('BAD_USER_INPUT');
    expect(errorOf(twice)?.extensions?.fields?.[0]?.field).toBe('token');
    expect((await shop.signIn('forgot@reset.example', 'the new password')).errors).toBeUndefined();
    expect(codeOf(await shop.signIn('forgot@reset.example', 'the old password'))).toBe('INVALID_CREDENTIALS');

    const { customer: profile } = await shop.store.data(
      `query($id: ID!) { customer(id: $id) { timeline { edges { node { kind summary } } } } }`,
      { id: customer.id },
    );
    expect(profile.timeline.edges.map((edge: any) => edge.node).filter((node: any) => node.kind === 'ACCOUNT')).toEqual(
      [
        { kind: 'ACCOUNT', summary: 'Password changed with a reset link' },
        { kind: 'ACCOUNT', summary: 'Password reset link sent at the customer’s request' },
      ],
    );
  });

  it('refuses a token once it has expired, and one that was replaced by a newer one', async () => {
    const { customer } = await shop.register('late@reset.example', 'the old password');
    await shop.shop(REQUEST_RESET, { email: 'late@reset.example' });
    const first = await lastResetToken(shop.store.id, customer.id);
    await shop.shop(REQUEST_RESET, { email: 'late@reset.example' });
    const second = await lastResetToken(shop.store.id, customer.id);
    expect(codeOf(await shop.shop(RESET, { token: first, password: 'the new password' }))).toBe('BAD_USER_INPUT');
    await sql()`update customer.password_reset_tokens set expires_at = now() - interval '1 second'
      where customer_id = ${customer.id}`;
    expect(codeOf(await shop.shop(RESET, { token: second, password: 'the new password' }))).toBe('BAD_USER_INPUT');
    expect((await shop.signIn('late@reset.example', 'the old password')).errors).toBeUndefined();
  });

  it('sends at most 5 links a window at the storefront’s request, answering the same past that', async () => {
    const { customer } = await shop.register('bombed@reset.example', 'the old password');
    const answers = [];
    for (let i = 0; i < 7; i += 1) answers.push(await shop.shop(REQUEST_RESET, { email: 'bombed@reset.example' }));
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    const [{ issued }] = await sql()<[{ issued: number }]>`
      select count(*)::int as issued from customer.password_reset_tokens where customer_id = ${customer.id}`;
    expect(issued).toBe(5);
    // The last link sent still works; the ones before it were ended by each new one.
    const token = await lastResetToken(shop.store.id, customer.id);
    expect((await shop.shop(RESET, { token, password: 'the new password' })).data).toEqual({ resetPassword: true });
    // Staff are not held to it.
    const send = `mutation($id: ID!) { sendPasswordReset(customerId: $id) { id } }`;
    expect((await shop.store.request(send, { id: customer.id })).errors).toBeUndefined();
  });

  it('is sent by staff with CUSTOMERS_EDIT, also to a profile that never had a password', async () => {
    const made = await shop.store.createCustomer({ firstName: 'Staff', lastName: 'Made', email: 'made@reset.example' });
    const viewer = await shop.store.staff(`viewer-${randomUUID().slice(0, 8)}`, 'VIEWER');
    const send = `mutation($id: ID!) { sendPasswordReset(customerId: $id) { id } }`;
    expect(codeOf(await graph.request(send, { id: made.id }, { token: viewer }))).toBe('FORBIDDEN');
    expect(await shop.store.data(send, { id: made.id })).toEqual({ sendPasswordReset: { id: made.id } });
    expect(codeOf(await shop.store.request(send, { id: randomUUID() }))).toBe('NOT_FOUND');
    const token = await lastResetToken(shop.store.id, made.id);
    expect((await shop.shop(RESET, { token, password: 'chosen at last' })).data).toEqual({ resetPassword: true });
    const session = await shop.signIn('made@reset.example', 'chosen at last');
    expect(session.data.signIn.customer.id).toBe(made.id);
    const { customer } = await shop.store.data(
      `query($id: ID!) { customer(id: $id) { timeline { edges { node { kind summary actor } } } } }`,
      { id: made.id },
    );
    expect(customer.timeline.edges.map((edge: any) => edge.node)).toContainEqual({
      kind: 'ACCOUNT',
      summary: 'Password reset link sent by staff',
      actor: shop.store.ownerId,
    });
  });
});

describe('passwordless sign-in', () => {
  const REQUEST_CODE = `mutation($email: String!) { requestSignInCode(email: $email) }`;
  const WITH_CODE = `mutation($email: String!, $code: String!) { signInWithCode(email: $email, code: $code) { token customer { id } } }`;

  it('registers without a password and signs in by an emailed code, once', async () => {
    const shop = await storefront('Passwordless store');
    const registered = await shop.shop(REGISTER, {
      input: { firstName: 'Pia', lastName: 'Codes', email: 'pia@code.example' },
    });
    expect(registered.errors).toBeUndefined();
    const { id } = registered.data.registerCustomer.customer;
    // No password was set: none signs in.
    expect(codeOf(await shop.signIn('pia@code.example', 'any password at all'))).toBe('INVALID_CREDENTIALS');

    const known = await shop.shop(REQUEST_CODE, { email: 'pia@code.example' });
    expect(known).toEqual(await shop.shop(REQUEST_CODE, { email: 'nobody@code.example' }));
    const code = await lastMessage(shop.store.id, id, 'sign_in_code');
    expect(code).toMatch(/^\d{6}$/);
    const [stored] = await sql()<
      { code_hash: string }[]
    >`select code_hash from customer.sign_in_codes where customer_id = ${id}`;
    expect(stored!.code_hash).toMatch(/^\$argon2id\$/);

    const wrong = await shop.shop(WITH_CODE, {
      email: 'pia@code.example',
      code: code === '000000' ? '000001' : '000000',
    });
    expect(codeOf(wrong)).toBe('INVALID_CREDENTIALS');
    const session = await shop.shop(WITH_CODE, { email: 'pia@code.example', code });
    expect(session.errors).toBeUndefined();
    expect((await graph.request(ME, {}, { token: session.data.signInWithCode.token })).data.me.id).toBe(id);
    expect(codeOf(await shop.shop(WITH_CODE, { email: 'pia@code.example', code }))).toBe('INVALID_CREDENTIALS');
    expect(codeOf(await shop.shop(WITH_CODE, { email: 'pia@code.example', code: '12ab' }))).toBe('BAD_USER_INPUT');
  });

  it('counts wrong codes as failed sign-ins, so guessing stops at the limit', async () => {
    const shop = await storefront('Guessing store');
    const { customer } = await shop.register('guess@code.example');
    await shop.shop(REQUEST_CODE, { email: 'guess@code.example' });
    const code = await lastMessage(shop.store.id, customer.id, 'sign_in_code');
    const wrongs = ['111111', '222222', '333333', '444444', '555555', '666666'].filter((guess) => guess !== code);
    for (const guess of wrongs.slice(0, 5)) {
      expect(codeOf(await shop.shop(WITH_CODE, { email: 'guess@code.example', code: guess }))).toBe(
        'INVALID_CREDENTIALS',
      );
    }
    expect(codeOf(await shop.shop(WITH_CODE, { email: 'guess@code.example', code }))).toBe('TOO_MANY_ATTEMPTS');
  });

  it('refuses an expired code', async () => {
    const shop = await storefront('Late code store');
    const { customer } = await shop.register('late@code.example');
    await shop.shop(REQUEST_CODE, { email: 'late@code.example' });
    const code = await lastMessage(shop.store.id, customer.id, 'sign_in_code');
    await sql()`update customer.sign_in_codes set expires_at = now() - interval '1 second' where customer_id = ${customer.id}`;
    expect(codeOf(await shop.shop(WITH_CODE, { email: 'late@code.example', code }))).toBe('INVALID_CREDENTIALS');
  });
});

describe('erasure', () => {
  it('removes the credentials, failed sign-ins, reset tokens, codes and messages; the email signs in no more', async () => {
    const shop = await storefront('Erasure store');
    const { customer } = await shop.register('gone@erase.example', 'the right password');
    await shop.signIn('gone@erase.example', 'a wrong password');
    await shop.shop(REQUEST_RESET, { email: 'gone@erase.example' });
    await shop.shop(`mutation($email: String!) { requestSignInCode(email: $email) }`, { email: 'gone@erase.example' });
    const token = await lastResetToken(shop.store.id, customer.id);
    await shop.store.data(`mutation($id: ID!) { eraseCustomer(id: $id) { id } }`, { id: customer.id });

    const [left] = await sql()<Record<string, number>[]>`
      select
        (select count(*)::int from customer.customer_credentials where customer_id = ${customer.id}) as credentials,
        (select count(*)::int from customer.sign_in_failures where store_id = ${shop.store.id}) as failures,
        (select count(*)::int from customer.password_reset_tokens where customer_id = ${customer.id}) as tokens,
        (select count(*)::int from customer.sign_in_codes where customer_id = ${customer.id}) as codes,
        (select count(*)::int from customer.account_messages where customer_id = ${customer.id}) as messages`;
    expect(left).toEqual({ credentials: 0, failures: 0, tokens: 0, codes: 0, messages: 0 });
    expect(codeOf(await shop.signIn('gone@erase.example', 'the right password'))).toBe('INVALID_CREDENTIALS');
    expect(codeOf(await shop.shop(RESET, { token, password: 'back again?' }))).toBe('BAD_USER_INPUT');
  });
});
