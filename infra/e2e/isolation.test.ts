import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '@cg/auth';
import {
  expectNothingReadable,
  expectNothingWritable,
  seedIsolatedStore,
  startTestGraph,
  type IsolatedRecords,
  type TestGraph,
  type TestStore,
} from '@cg/testing';

/** Store A's data, looked at and reached for with store B's token, through every subgraph. */
let graph: TestGraph;
let a: TestStore;
let b: TestStore;
let records: IsolatedRecords;

beforeAll(async () => {
  graph = await startTestGraph();
  a = await graph.createStore('Store A');
  b = await graph.createStore('Store B');
  records = await seedIsolatedStore(a);
});
afterAll(() => graph?.close());

describe('a token for store B', () => {
  it('reads nothing of store A from any root query', () => expectNothingReadable(b, records));

  it('changes nothing of store A through any mutation', () => expectNothingWritable(a, b, records));
});

describe('tokens', () => {
  it('answers a customer token FORBIDDEN where customers have no access yet', async () => {
    const token = await signToken({ kind: 'customer', userId: records.customer, storeId: a.id });
    const response = await graph.request(`{ customers { totalCount } }`, undefined, { token });
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('answers an expired token UNAUTHENTICATED', async () => {
    const token = await signToken({ kind: 'staff', userId: 'u', storeId: a.id }, { expiresIn: '-1s' });
    const response = await graph.request(`{ customers { totalCount } }`, undefined, { token });
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
