import 'reflect-metadata';
import { graphql, printType } from 'graphql';
import { Authorized, Query, Resolver } from 'type-graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { Caller } from './authorization.ts';
import { buildFederatedSchema, subgraphSdl } from './build.ts';
import { baseContext } from './context.ts';
import { Money, money } from './money.ts';

@Resolver()
class Prices {
  @Authorized(Caller.STAFF)
  @Query(() => Money)
  price(): Money {
    return money(1999, 'EUR');
  }

  @Authorized(Caller.STAFF)
  @Query(() => Money)
  overflow(): Money {
    return money(2 ** 53, 'EUR');
  }
}

let schema: Awaited<ReturnType<typeof buildFederatedSchema>>;
beforeAll(async () => {
  schema = await buildFederatedSchema({ resolvers: [Prices] });
});
const context = baseContext({ kind: 'staff', userId: 'staff-1', storeId: 'store-1' });

describe('money', () => {
  it('is an amount in minor units with its currency', () => {
    expect(money(1999, 'EUR')).toEqual({ amount: 1999, currency: 'EUR' });
    expect(money(-500, 'TRY')).toEqual({ amount: -500, currency: 'TRY' });
  });

  it('is a shareable Money type with a safe-integer amount', () => {
    expect(printType(schema.getType('Money')!)).toContain('amount: SafeInt!');
    expect(printType(schema.getType('Money')!)).toContain('currency: String!');
    expect(subgraphSdl(schema)).toMatch(/type Money\s+@shareable/);
  });

  it('answers with the amount as an integer, and refuses amounts beyond 2^53 - 1', async () => {
    expect(await graphql({ schema, source: '{ price { amount currency } }', contextValue: context })).toEqual({
      data: { price: { amount: 1999, currency: 'EUR' } },
    });
    const overflow = await graphql({ schema, source: '{ overflow { amount } }', contextValue: context });
    expect(overflow.data).toBeNull();
    expect(overflow.errors?.[0]?.path).toEqual(['overflow', 'amount']);
  });
});
