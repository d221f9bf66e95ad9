import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '@cg/auth';
import { eventually, outboxEvents, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

const CODE = /* GraphQL */ `
  fragment Code on ReferenceCode {
    id
    code
    name
    type
    usageLimit
    perCustomerLimit
    uses
    startsAt
    endsAt
    status
    owner {
      id
    }
  }
`;
const CREATE = /* GraphQL */ `
  ${CODE}
  mutation Create($input: CreateReferenceCodeInput!) {
    createReferenceCode(input: $input) {
      ...Code
    }
  }
`;
const UPDATE = /* GraphQL */ `
  ${CODE}
  mutation Update($id: ID!, $input: UpdateReferenceCodeInput!) {
    updateReferenceCode(id: $id, input: $input) {
      ...Code
    }
  }
`;
const action = (name: string) => /* GraphQL */ `
  mutation ($id: ID!) {
    ${name}(id: $id) {
      id
      status
      stoppedAt
      expiredAt
    }
  }
`;
const STOP = action('stopReferenceCode');
const RESUME = action('resumeReferenceCode');
const EXPIRE = action('expireReferenceCode');
const USE = /* GraphQL */ `
  mutation Use($input: UseReferenceCodeInput!) {
    useReferenceCode(input: $input) {
      id
      referral
      orderId
      code {
        id
        uses
        status
      }
      customer {
        id
      }
      referrer {
        id
      }
    }
  }
`;
const ACCESS = /* GraphQL */ `
  mutation Access($code: String!) {
    recordReferenceCodeAccess(code: $code) {
      id
      accessedAt
    }
  }
`;
const LIST = /* GraphQL */ `
  query List($filter: ReferenceCodeFilter, $first: Int) {
    referenceCodes(filter: $filter, first: $first) {
      totalCount
      edges {
        node {
          code
          name
          type
          status
        }
      }
    }
  }
`;
const HISTORY = /* GraphQL */ `
  query History($id: ID!) {
    referenceCode(id: $id) {
      status
      statusHistory {
        action
        fromStatus
        toStatus
        changedAt
        changedBy
      }
    }
  }
`;
const DASHBOARD = /* GraphQL */ `
  query Dashboard($id: ID!, $from: String, $to: String) {
    referenceCode(id: $id) {
      dashboard(from: $from, to: $to) {
        from
        to
        timeZone
        createdAt
        startsAt
        endsAt
        usageCount
        accessCount
        conversionRate
        limitUsage
        days {
          date
          accesses
          uses
          rewards
        }
      }
    }
  }
`;

let graph: TestGraph;

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.close());

const newStore = () => graph.createStore(`Codes ${randomUUID().slice(0, 8)}`);
const newCustomer = async (store: TestStore, firstName = 'Rita') => (await store.createCustomer({ firstName })).id;

async function created(store: TestStore, input: Record<string, unknown>) {
  const response = await store.request(CREATE, { input });
  expect(response.errors).toBeUndefined();
  return response.data.createReferenceCode;
}

const use = (store: TestStore, input: Record<string, unknown>) => store.request(USE, { input });
const reasonOf = (response: { errors?: { extensions?: Record<string, any> }[] }) => response.errors?.[0]?.extensions;
const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

describe('definitions', () => {
  it('creates codes, given or generated, unique per store whatever the case, and lists them by type, status and search', async () => {
    const store = await newStore();
    const owner = await newCustomer(store);
    const platform = await created(store, { code: 'Summer-24', name: 'Summer influencers', type: 'PLATFORM' });
    expect(platform).toMatchObject({ code: 'Summer-24', type: 'PLATFORM', status: 'ACTIVE', uses: 0, owner: null });
    const user = await created(store, { name: 'Rita refers', type: 'USER', customerId: owner, usageLimit: 10 });
    expect(user.code).toMatch(/^[23456789BCDFGHJKMNPQRSTVWXYZ]{8}$/);
    expect(user).toMatchObject({ type: 'USER', owner: { id: owner }, usageLimit: 10, perCustomerLimit: null });
    await created(store, { code: 'LATER', name: 'Autumn sellers', type: 'SELLER', startsAt: hoursFromNow(48) });

    const duplicate = await store.request(CREATE, { input: { code: 'summer-24', name: 'Again', type: 'SELLER' } });
    expect(reasonOf(duplicate)).toMatchObject({
      code: 'CONFLICT',
      reason: 'DUPLICATE_CODE',
      fields: [expect.objectContaining({ field: 'input.code' })],
    });
    // Another store may have the same code.
    expect(await created(await newStore(), { code: 'SUMMER-24', name: 'Theirs', type: 'PLATFORM' })).toMatchObject({
      code: 'SUMMER-24',
    });

    const list = async (filter: Record<string, unknown>) => (await store.data(LIST, { filter })).referenceCodes;
    expect((await list({})).edges.map((edge: any) => edge.node.name)).toEqual([
      'Autumn sellers',
      'Rita refers',
      'Summer influencers',
    ]);
    expect((await list({ types: ['USER', 'SELLER'] })).totalCount).toBe(2);
    expect((await list({ statuses: ['SCHEDULED'] })).edges).toEqual([
      { node: { code: 'LATER', name: 'Autumn sellers', type: 'SELLER', status: 'SCHEDULED' } },
    ]);
    expect((await list({ search: 'summ' })).edges.map((edge: any) => edge.node.code)).toEqual(['Summer-24']);
    expect((await list({ search: 'RITA' })).edges.map((edge: any) => edge.node.name)).toEqual(['Rita refers']);
    expect((await list({ search: 'rita', statuses: ['EXPIRED'] })).totalCount).toBe(0);

    const edited = await store.data(UPDATE, {
      id: user.id,
      input: { name: 'Rita’s friends', perCustomerLimit: 2, endsAt: hoursFromNow(24 * 30) },
    });
    expect(edited.updateReferenceCode).toMatchObject({ name: 'Rita’s friends', perCustomerLimit: 2, usageLimit: 10 });
    const cleared = await store.data(UPDATE, { id: user.id, input: { clear: ['usageLimit', 'endsAt'] } });
    expect(cleared.updateReferenceCode).toMatchObject({ usageLimit: null, endsAt: null, perCustomerLimit: 2 });
  });

  it('answers bad input with BAD_USER_INPUT naming the field, and changes nothing', async () => {
    const store = await newStore();
    const owner = await newCustomer(store);
    const code = await created(store, { code: 'KEEP', name: 'Keep', type: 'PLATFORM', usageLimit: 5 });
    const base = { name: 'Bad', type: 'PLATFORM' };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, startsAt: hoursFromNow(2), endsAt: hoursFromNow(1) }, 'input.endsAt'],
      [{ ...base, usageLimit: -1 }, 'input.usageLimit'],
      [{ ...base, perCustomerLimit: -1 }, 'input.perCustomerLimit'],
      [{ ...base, usageLimit: 1, perCustomerLimit: 2 }, 'input.perCustomerLimit'],
      [{ ...base, code: 'no spaces' }, 'input.code'],
      [{ ...base, code: 'ab' }, 'input.code'],
      [{ ...base, name: '  ' }, 'input.name'],
      [{ ...base, type: 'USER' }, 'input.customerId'],
      [{ ...base, customerId: owner }, 'input.customerId'],
      [{ ...base, type: 'USER', customerId: randomUUID() }, 'input.customerId'],
      [{ ...base, type: 'USER', customerId: 'nope' }, 'input.customerId'],
    ];
    for (const [input, field] of cases) {
      const response = await store.request(CREATE, { input });
      expect(reasonOf(response), JSON.stringify(input)).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: expect.arrayContaining([expect.objectContaining({ field })]),
      });
    }
    const updates: [Record<string, unknown>, string][] = [
      [{ endsAt: new Date(Date.now() - 86_400_000 * 2).toISOString() }, 'input.endsAt'],
      [{ usageLimit: -3 }, 'input.usageLimit'],
      [{ perCustomerLimit: 6 }, 'input.perCustomerLimit'],
      [{ usageLimit: 2, clear: ['usageLimit'] }, 'input.clear.0'],
    ];
    for (const [input, field] of updates) {
      const response = await store.request(UPDATE, { id: code.id, input });
      expect(reasonOf(response), JSON.stringify(input)).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: expect.arrayContaining([expect.objectContaining({ field })]),
      });
    }
    const { referenceCodes } = await store.data(LIST, {});
    expect(referenceCodes).toEqual({
      totalCount: 1,
      edges: [{ node: { code: 'KEEP', name: 'Keep', type: 'PLATFORM', status: 'ACTIVE' } }],
    });
    const { referenceCode } = await store.data(`query($id: ID!) { referenceCode(id: $id) { usageLimit endsAt } }`, {
      id: code.id,
    });
    expect(referenceCode).toEqual({ usageLimit: 5, endsAt: null });
  });

  it('needs REFERENCE_CODES_MANAGE to change codes, and CUSTOMERS_READ to read them', async () => {
    const store = await newStore();
    const code = await created(store, { code: 'GUARDED', name: 'Guarded', type: 'PLATFORM' });
    const reader = await store.staff(`reader-${randomUUID().slice(0, 8)}`, 'VIEWER');
    for (const [query, variables] of [
      [CREATE, { input: { name: 'No', type: 'PLATFORM' } }],
      [STOP, { id: code.id }],
      [UPDATE, { id: code.id, input: { name: 'No' } }],
    ] as const) {
      const response = await graph.request(query, variables, { token: reader });
      expect(reasonOf(response)?.code).toBe('FORBIDDEN');
    }
    const read = await graph.request(LIST, {}, { token: reader });
    expect(read.data.referenceCodes.totalCount).toBe(1);
  });
});

describe('lifecycle', () => {
  it('stops, resumes and expires, records each action with when and by whom, and refuses what is not allowed', async () => {
    const store = await newStore();
    const code = await created(store, { code: 'LIFE', name: 'Life', type: 'PLATFORM' });
    const stopped = (await store.data(STOP, { id: code.id })).stopReferenceCode;
    expect(stopped).toMatchObject({ status: 'STOPPED', expiredAt: null });
    expect(stopped.stoppedAt).not.toBeNull();
    expect(reasonOf(await store.request(STOP, { id: code.id }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'ALREADY_STOPPED',
    });
    expect((await store.data(RESUME, { id: code.id })).resumeReferenceCode).toMatchObject({
      status: 'ACTIVE',
      stoppedAt: null,
    });
    expect(reasonOf(await store.request(RESUME, { id: code.id }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'NOT_STOPPED',
    });
    await store.data(STOP, { id: code.id });
    // Expiring a stopped code is allowed, and final.
    expect((await store.data(EXPIRE, { id: code.id })).expireReferenceCode).toMatchObject({ status: 'EXPIRED' });
    for (const query of [RESUME, STOP, EXPIRE]) {
      expect(reasonOf(await store.request(query, { id: code.id }))).toMatchObject({
        code: 'CONFLICT',
        reason: 'CODE_EXPIRED',
      });
    }
    expect(reasonOf(await store.request(UPDATE, { id: code.id, input: { name: 'Revived' } }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'CODE_EXPIRED',
    });
    expect(reasonOf(await store.request(STOP, { id: randomUUID() }))?.code).toBe('NOT_FOUND');

    const { referenceCode } = await store.data(HISTORY, { id: code.id });
    expect(referenceCode.status).toBe('EXPIRED');
    expect(
      referenceCode.statusHistory.map((change: any) => [change.action, change.fromStatus, change.toStatus]),
    ).toEqual([
      ['CREATE', null, 'ACTIVE'],
      ['STOP', 'ACTIVE', 'STOPPED'],
      ['RESUME', 'STOPPED', 'ACTIVE'],
      ['STOP', 'ACTIVE', 'STOPPED'],
      ['EXPIRE', 'STOPPED', 'EXPIRED'],
    ]);
    for (const change of referenceCode.statusHistory) expect(change.changedBy).toBe(store.ownerId);
    const times = referenceCode.statusHistory.map((change: any) => Date.parse(change.changedAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    // Each action is in the audit trail too.
    const { sql } = graph.graph.subgraphs.engagement!.db;
    const audited = await sql`select payload->>'action' as action from engagement.outbox
      where type = 'audit.recorded' and store_id = ${store.id} and payload->>'entityId' = ${code.id} order by seq`;
    expect(audited.map((row) => row.action)).toEqual([
      'reference_code.create',
      'reference_code.stop',
      'reference_code.resume',
      'reference_code.stop',
      'reference_code.expire',
    ]);
  });

  it('derives SCHEDULED, EXPIRED at the planned end and EXHAUSTED at the limit', async () => {
    const store = await newStore();
    const later = await created(store, { code: 'SOON', name: 'Soon', type: 'SELLER', startsAt: hoursFromNow(1) });
    expect(later.status).toBe('SCHEDULED');
    const ended = await created(store, {
      code: 'ENDED',
      name: 'Ended',
      type: 'PLATFORM',
      startsAt: hoursFromNow(-48),
      endsAt: hoursFromNow(-24),
    });
    expect(ended.status).toBe('EXPIRED');
    expect(reasonOf(await store.request(RESUME, { id: ended.id }))?.reason).toBe('CODE_EXPIRED');
    const none = await created(store, { code: 'NONE', name: 'None', type: 'PLATFORM', usageLimit: 0 });
    expect(none.status).toBe('EXHAUSTED');
    // A stopped scheduled code is STOPPED; resumed, SCHEDULED again.
    expect((await store.data(STOP, { id: later.id })).stopReferenceCode.status).toBe('STOPPED');
    expect((await store.data(RESUME, { id: later.id })).resumeReferenceCode.status).toBe('SCHEDULED');
  });
});

describe('use', () => {
  it('refuses stopped, expired, exhausted, not-yet-started and unknown codes with a clear code', async () => {
    const store = await newStore();
    const customer = await newCustomer(store);
    const stopped = await created(store, { code: 'STOPPED', name: 'S', type: 'PLATFORM' });
    await store.data(STOP, { id: stopped.id });
    const expired = await created(store, { code: 'EXPIRED', name: 'E', type: 'PLATFORM' });
    await store.data(EXPIRE, { id: expired.id });
    await created(store, { code: 'EXHAUSTED', name: 'X', type: 'PLATFORM', usageLimit: 0 });
    await created(store, { code: 'LATER', name: 'L', type: 'PLATFORM', startsAt: hoursFromNow(1) });
    for (const [code, reason] of [
      ['stopped', 'CODE_STOPPED'],
      ['EXPIRED', 'CODE_EXPIRED'],
      ['Exhausted', 'CODE_EXHAUSTED'],
      ['LATER', 'CODE_NOT_STARTED'],
    ]) {
      expect(reasonOf(await use(store, { code, customerId: customer })), code).toMatchObject({
        code: 'CONFLICT',
        reason,
        fields: [expect.objectContaining({ field: 'input.code' })],
      });
    }
    expect(reasonOf(await use(store, { code: 'NOPE', customerId: customer }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [expect.objectContaining({ field: 'input.code' })],
    });
    expect(reasonOf(await use(store, { code: 'STOPPED', customerId: randomUUID() }))?.code).toBe('NOT_FOUND');
    // Resumed, the stopped code works.
    await store.data(RESUME, { id: stopped.id });
    const done = await use(store, { code: 'stopped', customerId: customer });
    expect(done.errors).toBeUndefined();
    expect(done.data.useReferenceCode).toMatchObject({
      referral: true,
      code: { id: stopped.id, uses: 1, status: 'ACTIVE' },
      customer: { id: customer },
      referrer: null,
    });
    const [event] = await outboxEvents(graph, 'engagement', {
      type: 'reference_code.used',
      storeId: store.id,
      customerId: customer,
    });
    expect(event?.payload).toMatchObject({ codeId: stopped.id, code: 'STOPPED', codeType: 'platform', referral: true });
  });

  it('refuses self-referral, refers a customer once per store, and holds the per-customer limit', async () => {
    const store = await newStore();
    const rita = await newCustomer(store, 'Rita');
    const sam = await newCustomer(store, 'Sam');
    const ritas = await created(store, {
      code: 'RITA',
      name: 'Rita',
      type: 'USER',
      customerId: rita,
      perCustomerLimit: 2,
    });
    const other = await created(store, { code: 'OTHER', name: 'Other', type: 'PLATFORM' });

    expect(reasonOf(await use(store, { code: 'rita', customerId: rita }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'SELF_REFERRAL',
    });
    const first = await use(store, { code: 'RITA', customerId: sam });
    expect(first.data.useReferenceCode).toMatchObject({ referral: true, referrer: { id: rita } });
    // The same code again, on an order: counted, but it refers nobody again.
    const order = randomUUID();
    const second = await use(store, { code: 'RITA', customerId: sam, orderId: order });
    expect(second.data.useReferenceCode).toMatchObject({ referral: false, orderId: order, code: { uses: 2 } });
    expect(reasonOf(await use(store, { code: 'RITA', customerId: sam }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'PER_CUSTOMER_LIMIT',
    });
    // Referred once per store: another code refers them no more.
    expect(reasonOf(await use(store, { code: 'OTHER', customerId: sam }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'ALREADY_REFERRED',
    });
    const { referenceCode } = await store.data(`query($id: ID!) { referenceCode(id: $id) { uses } }`, {
      id: other.id,
    });
    expect(referenceCode.uses).toBe(0);
    const { sql } = graph.graph.subgraphs.engagement!.db;
    const rows = await sql`select code_id, referral from engagement.reference_code_uses where store_id = ${store.id}`;
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => row.code_id === ritas.id)).toBe(true);
    // The database refuses a second referral whatever the service says.
    await expect(
      sql`insert into engagement.reference_code_uses (store_id, code_id, customer_id, referral, used_by)
        values (${store.id}, ${other.id}, ${sam}, true, 'test')`,
    ).rejects.toThrow(/reference_code_uses_referee_key/);
  });

  it('lets exactly one of 20 concurrent uses of a one-use code succeed', async () => {
    const store = await newStore();
    const code = await created(store, { code: 'ONCE', name: 'Once', type: 'PLATFORM', usageLimit: 1 });
    const customers = await Promise.all(Array.from({ length: 20 }, (_, i) => newCustomer(store, `Racer${i}`)));
    const attempts = await Promise.all(customers.map((customerId) => use(store, { code: 'ONCE', customerId })));
    const done = attempts.filter((response) => !response.errors);
    expect(done).toHaveLength(1);
    for (const response of attempts.filter((r) => r.errors))
      expect(reasonOf(response)).toMatchObject({ code: 'CONFLICT', reason: 'CODE_EXHAUSTED' });
    const { referenceCode } = await store.data(`query($id: ID!) { referenceCode(id: $id) { uses status } }`, {
      id: code.id,
    });
    expect(referenceCode).toEqual({ uses: 1, status: 'EXHAUSTED' });
    const { sql } = graph.graph.subgraphs.engagement!.db;
    const [row] = await sql`select count(*)::int as n from engagement.reference_code_uses where store_id = ${store.id}`;
    expect(row?.n).toBe(1);
  });

  it('lets a customer use a code for themself only, and records accesses from storefront tokens', async () => {
    const store = await newStore();
    const me = await newCustomer(store, 'Mia');
    const other = await newCustomer(store, 'Ole');
    const code = await created(store, { code: 'SHOP', name: 'Shop', type: 'PLATFORM' });
    const customer = await signToken({ kind: 'customer', userId: me, storeId: store.id });
    const guest = await signToken({ kind: 'guest', userId: `session-${randomUUID()}`, storeId: store.id });

    const forOther = await graph.request(USE, { input: { code: 'SHOP', customerId: other } }, { token: customer });
    expect(reasonOf(forOther)?.code).toBe('FORBIDDEN');
    const own = await graph.request(USE, { input: { code: 'shop', customerId: me } }, { token: customer });
    expect(own.errors).toBeUndefined();
    expect(own.data.useReferenceCode).toMatchObject({ referral: true, code: { uses: 1 }, customer: { id: me } });
    const { customer: seen } = await store.data(
      `query($id: ID!) { customer(id: $id) { referredBy { id code { code } } } }`,
      { id: me },
    );
    expect(seen.referredBy).toEqual({ id: own.data.useReferenceCode.id, code: { code: 'SHOP' } });

    expect((await graph.request(ACCESS, { code: 'shop' }, { token: guest })).errors).toBeUndefined();
    expect((await graph.request(ACCESS, { code: 'SHOP' }, { token: customer })).errors).toBeUndefined();
    expect(reasonOf(await graph.request(ACCESS, { code: 'NOPE' }, { token: guest }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [expect.objectContaining({ field: 'code' })],
    });
    expect(reasonOf(await store.request(ACCESS, { code: 'SHOP' }))?.code).toBe('FORBIDDEN');
    const { sql } = graph.graph.subgraphs.engagement!.db;
    const rows = await sql`select session_id, customer_id from engagement.reference_code_accesses
      where store_id = ${store.id} and code_id = ${code.id} order by accessed_at`;
    expect(rows.map((row) => row.customer_id)).toEqual(expect.arrayContaining([null, me]));
    expect(rows).toHaveLength(2);
  });
});

describe('erasure', () => {
  it("expires an erased referrer's codes, scrubs their code and name, and refuses the erased customer's uses", async () => {
    const store = await newStore();
    const erin = await newCustomer(store, 'Erin');
    const friend = await newCustomer(store, 'Fred');
    const code = await created(store, { code: 'ERIN-FRIENDS', name: 'Erin Friends', type: 'USER', customerId: erin });
    await created(store, { code: 'PLATFORM', name: 'Platform', type: 'PLATFORM' });
    expect((await use(store, { code: 'ERIN-FRIENDS', customerId: friend })).errors).toBeUndefined();
    await store.data(`mutation($id: ID!) { eraseCustomer(id: $id) { id } }`, { id: erin });
    const erased = await eventually(async () => {
      const { referenceCode } = await store.data(
        `query($id: ID!) { referenceCode(id: $id) { code name status uses statusHistory { action toStatus changedBy } } }`,
        { id: code.id },
      );
      expect(referenceCode.status).toBe('EXPIRED');
      return referenceCode;
    });
    expect(erased).toMatchObject({ code: `ERASED-${code.id.replace(/-/g, '')}`, name: 'Erased customer', uses: 1 });
    expect(erased.statusHistory.at(-1)).toEqual({ action: 'EXPIRE', toStatus: 'EXPIRED', changedBy: 'erasure' });
    expect(reasonOf(await use(store, { code: 'ERIN-FRIENDS', customerId: friend }))?.code).toBe('BAD_USER_INPUT');
    expect(reasonOf(await use(store, { code: 'PLATFORM', customerId: erin }))).toMatchObject({ code: 'CONFLICT' });
    // The referee's use keeps naming the referrer by id, as the ledgers do.
    const { customer } = await store.data(`query($id: ID!) { customer(id: $id) { referredBy { referrer { id } } } }`, {
      id: friend,
    });
    expect(customer.referredBy.referrer).toEqual({ id: erin });
  });
});

describe('dashboard', () => {
  it('gives one entry per day over a range with gaps, with totals equal to the raw rows', async () => {
    const store = await newStore();
    const code = await created(store, { code: 'DASH', name: 'Dash', type: 'PLATFORM', usageLimit: 40 });
    const customers = await Promise.all(Array.from({ length: 6 }, (_, i) => newCustomer(store, `Dash${i}`)));
    const guest = await signToken({ kind: 'guest', userId: randomUUID(), storeId: store.id });
    for (let i = 0; i < 9; i++) await graph.request(ACCESS, { code: 'DASH' }, { token: guest });
    for (const customerId of customers) expect((await use(store, { code: 'DASH', customerId })).errors).toBeUndefined();
    // A second use of one customer: a use, no second referral.
    expect((await use(store, { code: 'DASH', customerId: customers[0] })).errors).toBeUndefined();

    // Spread them over days, leaving gaps: uses 0, 2 and 5 days ago, accesses 1 and 5 days ago.
    const { sql } = graph.graph.subgraphs.engagement!.db;
    const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    await sql`update engagement.reference_code_uses u set used_at = date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' + interval '12 hours' - (case when x.n <= 2 then 0 when x.n <= 5 then 2 else 5 end) * interval '1 day'
      from (select id, row_number() over (order by used_at, id) as n from engagement.reference_code_uses where store_id = ${store.id}) x
      where u.store_id = ${store.id} and u.id = x.id`;
    await sql`update engagement.reference_code_accesses a set accessed_at = date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' + interval '6 hours' - (case when x.n <= 4 then 1 else 5 end) * interval '1 day'
      from (select id, row_number() over (order by accessed_at, id) as n from engagement.reference_code_accesses where store_id = ${store.id}) x
      where a.store_id = ${store.id} and a.id = x.id`;

    const from = day(7);
    const to = day(0);
    const { dashboard } = (await store.data(DASHBOARD, { id: code.id, from, to })).referenceCode;
    expect(dashboard).toMatchObject({ from, to, timeZone: 'UTC', endsAt: null });
    expect(dashboard.days.map((entry: any) => entry.date)).toEqual(Array.from({ length: 8 }, (_, i) => day(7 - i)));
    const byDate = Object.fromEntries(dashboard.days.map((entry: any) => [entry.date, entry]));
    expect(byDate[day(0)]).toMatchObject({ uses: 2, accesses: 0 });
    expect(byDate[day(1)]).toMatchObject({ uses: 0, accesses: 4 });
    expect(byDate[day(2)]).toMatchObject({ uses: 3, accesses: 0 });
    expect(byDate[day(5)]).toMatchObject({ uses: 2, accesses: 5 });
    for (const empty of [3, 4, 6, 7])
      expect(byDate[day(empty)]).toEqual({ date: day(empty), uses: 0, accesses: 0, rewards: 0 });

    // The totals reconcile with the rows as recorded.
    const [raw] = await sql`select
        (select count(*)::int from engagement.reference_code_uses where store_id = ${store.id} and code_id = ${code.id}) as uses,
        (select count(*)::int from engagement.reference_code_rewards where store_id = ${store.id} and code_id = ${code.id} and status = 'granted') as rewards,
        (select count(*)::int from engagement.reference_code_accesses where store_id = ${store.id} and code_id = ${code.id}) as accesses`;
    const sum = (key: string) => dashboard.days.reduce((total: number, entry: any) => total + entry[key], 0);
    expect({ uses: dashboard.usageCount, accesses: dashboard.accessCount, rewards: sum('rewards') }).toEqual(raw);
    expect(sum('uses')).toBe(raw!.uses);
    expect(sum('accesses')).toBe(raw!.accesses);
    // The code grants nothing (E9's rewards are counted in reference-code-rewards.test.ts).
    expect(raw).toEqual({ uses: 7, rewards: 0, accesses: 9 });
    expect(dashboard.conversionRate).toBe(77.78);
    expect(dashboard.limitUsage).toBe(17.5);

    // A narrower range counts only its days.
    const narrow = (await store.data(DASHBOARD, { id: code.id, from: day(2), to: day(1) })).referenceCode.dashboard;
    expect(narrow).toMatchObject({ usageCount: 3, accessCount: 4, days: [{ uses: 3 }, { accesses: 4 }] });
    // Without a range: the last 30 days, up to today.
    const recent = (await store.data(DASHBOARD, { id: code.id })).referenceCode.dashboard;
    expect(recent).toMatchObject({ to: day(0), from: day(29), usageCount: 7 });
    expect(recent.days).toHaveLength(30);
  });

  it("counts days in the store's time zone", async () => {
    // Tokyo is UTC+9 all year: 20:00 UTC is 05:00 the next day there, 14:00 UTC is 23:00 the same day.
    const store = await graph.createStore(`Codes Tokyo ${randomUUID().slice(0, 8)}`, { timeZone: 'Asia/Tokyo' });
    const code = await created(store, { code: 'TOKYO', name: 'Tokyo', type: 'PLATFORM' });
    const customerId = await newCustomer(store, 'Kenji');
    expect((await use(store, { code: 'TOKYO', customerId })).errors).toBeUndefined();
    const guest = await signToken({ kind: 'guest', userId: randomUUID(), storeId: store.id });
    await graph.request(ACCESS, { code: 'TOKYO' }, { token: guest });
    const { sql } = graph.graph.subgraphs.engagement!.db;
    await sql`update engagement.reference_code_uses set used_at = '2026-03-10T20:00:00Z' where store_id = ${store.id}`;
    await sql`update engagement.reference_code_accesses set accessed_at = '2026-03-10T14:00:00Z' where store_id = ${store.id}`;

    // The zone reaches engagement with the store's settings event.
    const dashboard = await eventually(async () => {
      const { referenceCode } = await store.data(DASHBOARD, { id: code.id, from: '2026-03-09', to: '2026-03-11' });
      expect(referenceCode.dashboard.timeZone).toBe('Asia/Tokyo');
      return referenceCode.dashboard;
    });
    expect(dashboard.days).toEqual([
      { date: '2026-03-09', accesses: 0, uses: 0, rewards: 0 },
      { date: '2026-03-10', accesses: 1, uses: 0, rewards: 0 },
      { date: '2026-03-11', accesses: 0, uses: 1, rewards: 0 },
    ]);
  });

  it('bounds the range and refuses malformed days', async () => {
    const store = await newStore();
    const code = await created(store, { code: 'RANGE', name: 'Range', type: 'PLATFORM' });
    for (const [from, to, field] of [
      ['2026-01-01', '2027-01-03', 'to'],
      ['2026-03-02', '2026-03-01', 'to'],
      ['2026-02-30', '2026-03-01', 'from'],
      ['yesterday', '2026-03-01', 'from'],
    ]) {
      const response = await store.request(DASHBOARD, { id: code.id, from, to });
      expect(reasonOf(response), `${from}..${to}`).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: [expect.objectContaining({ field })],
      });
    }
    const leap = (await store.data(DASHBOARD, { id: code.id, from: '2028-01-01', to: '2028-12-31' })).referenceCode;
    expect(leap.dashboard.days).toHaveLength(366);
  });

  it('reads each day from quarter-hour buckets that follow every insert, move and delete', async () => {
    const store = await newStore();
    const code = await created(store, { code: 'BUCKETS', name: 'Buckets', type: 'PLATFORM' });
    const customers = await Promise.all(Array.from({ length: 3 }, (_, i) => newCustomer(store, `Bucket${i}`)));
    for (const customerId of customers)
      expect((await use(store, { code: 'BUCKETS', customerId })).errors).toBeUndefined();
    const guest = await signToken({ kind: 'guest', userId: randomUUID(), storeId: store.id });
    for (let i = 0; i < 4; i++) await graph.request(ACCESS, { code: 'BUCKETS' }, { token: guest });
    const { sql } = graph.graph.subgraphs.engagement!.db;
    const buckets = async () =>
      (
        await sql`select sum(uses)::int as uses, sum(referrals)::int as referrals, sum(accesses)::int as accesses
          from engagement.reference_code_activity where store_id = ${store.id} and code_id = ${code.id}`
      )[0];
    expect(await buckets()).toEqual({ uses: 3, referrals: 3, accesses: 4 });

    // A use moved to another day leaves today's bucket for that day's; a deleted visit is taken out.
    await sql`update engagement.reference_code_uses set used_at = used_at - interval '3 days'
      where store_id = ${store.id} and customer_id = ${customers[0]!}`;
    await sql`delete from engagement.reference_code_accesses
      where id = (select id from engagement.reference_code_accesses where store_id = ${store.id} limit 1)`;
    expect(await buckets()).toEqual({ uses: 3, referrals: 3, accesses: 3 });
    const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    const { dashboard } = (await store.data(DASHBOARD, { id: code.id, from: day(3), to: day(0) })).referenceCode;
    expect(dashboard.days.map((entry: any) => [entry.uses, entry.accesses])).toEqual([
      [1, 0],
      [0, 0],
      [0, 0],
      [2, 3],
    ]);
    // The dashboard reads the buckets by the primary key's range.
    const [key] = await sql`select pg_get_indexdef(indexrelid) as def from pg_index
      where indexrelid = 'engagement.reference_code_activity_pkey'::regclass`;
    expect(key!.def).toContain('(store_id, code_id, bucket)');
  });
});

describe('the customer’s codes', () => {
  it('costs the same statements for 50 customers as for 5: one per relation', async () => {
    const store = await newStore();
    const ids = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        store
          .createCustomer({ firstName: i < 5 ? 'Refs-Few' : 'Refs-Many', email: `refs${i}@example.com` })
          .then((customer) => customer.id),
      ),
    );
    // Each customer owns a code and was referred by the code of the one before.
    for (const [i, id] of ids.entries())
      await created(store, { code: `REF${i}`, name: `Ref ${i}`, type: 'USER', customerId: id });
    for (const [i, id] of ids.entries())
      expect((await use(store, { code: `REF${(i + 49) % 50}`, customerId: id })).errors).toBeUndefined();
    const query = `query($search: String) { customers(first: 50, filter: { search: $search }) { edges { node { id
      referenceCodes(first: 5) { totalCount edges { node { code status owner { id } } } }
      referredBy { referral code { code } referrer { id } }
    } } } }`;
    let few: any;
    let many: any;
    const fewStatements = await graph.countStatements(async () => {
      few = await store.data(query, { search: 'refs-few' });
    });
    const manyStatements = await graph.countStatements(async () => {
      many = await store.data(query, { search: 'refs' });
    });
    expect(few.customers.edges).toHaveLength(5);
    expect(many.customers.edges).toHaveLength(50);
    for (const { node } of many.customers.edges) {
      const i = ids.indexOf(node.id);
      expect(node.referenceCodes).toMatchObject({
        totalCount: 1,
        edges: [{ node: { code: `REF${i}`, status: 'ACTIVE', owner: { id: node.id } } }],
      });
      expect(node.referredBy).toEqual({
        referral: true,
        code: { code: `REF${(i + 49) % 50}` },
        referrer: { id: ids[(i + 49) % 50] },
      });
    }
    // The owned codes, the referring uses, and their codes.
    expect(manyStatements.engagement).toBe(3);
    expect(fewStatements.engagement).toBe(3);
  });
});
