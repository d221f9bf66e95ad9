import 'reflect-metadata';
import { Authorized, Directive, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import { execute, parse, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { StaffAction, type Principal } from '@cg/auth';
import { Internal, InternalType, Shopper } from './audience.ts';
import { Caller } from './authorization.ts';
import { buildFederatedSchema } from './build.ts';
import { baseContext, type BaseContext } from './context.ts';

const STORE = '7d2f7c1e-2b7a-4f3e-9a51-0c6d5b1f2e3a';
const staff = (actions: StaffAction[]): BaseContext => {
  const principal: Principal = { kind: 'staff', userId: 'staff-1', storeId: STORE };
  return baseContext(principal, undefined, { userId: 'staff-1', storeId: STORE, actions, platform: false });
};
const customer = () => baseContext({ kind: 'customer', userId: 'customer-1', storeId: STORE });
const guest = () => baseContext({ kind: 'guest', userId: 'session-1', storeId: STORE });

async function run(schema: GraphQLSchema, context: BaseContext, query: string) {
  return JSON.parse(JSON.stringify(await execute({ schema, document: parse(query), contextValue: context })));
}

describe('field audiences', () => {
  it('fails the build naming every field customer tokens reach without an audience', async () => {
    @ObjectType()
    class LeakyLine {
      @Shopper() @Field(() => String) name!: string;
      @Field(() => String) costPrice!: string;
    }
    @ObjectType()
    class LeakyOrder {
      @Shopper() @Field(() => ID) id!: string;
      @Shopper() @Field(() => [LeakyLine]) lines!: LeakyLine[];
      @Field(() => String, { nullable: true }) staffNote!: string | null;
    }
    @Resolver()
    class LeakyResolver {
      @Authorized(StaffAction.CUSTOMERS_READ, Caller.CUSTOMER)
      @Query(() => LeakyOrder)
      leakyOrder(): LeakyOrder {
        return { id: '1', lines: [], staffNote: null };
      }
    }
    await expect(buildFederatedSchema({ resolvers: [LeakyResolver] })).rejects.toThrow(
      'Fields that customer or guest tokens reach without @Shopper() or @Internal(…): LeakyOrder.staffNote, LeakyLine.costPrice',
    );
  });

  it('asks nothing of types only staff reach, nor of what internal fields return', async () => {
    @ObjectType()
    class StaffReport {
      @Field(() => String) figures!: string;
    }
    @ObjectType()
    class CheckedOrder {
      @Shopper() @Field(() => ID) id!: string;
      @Internal(null) @Field(() => StaffReport, { nullable: true }) report!: StaffReport | null;
    }
    @Resolver()
    class CheckedResolver {
      @Authorized(StaffAction.CUSTOMERS_READ)
      @Query(() => StaffReport)
      staffReport(): StaffReport {
        return { figures: '' };
      }
      @Authorized(Caller.GUEST)
      @Query(() => CheckedOrder)
      checkedOrder(): CheckedOrder {
        return { id: '1', report: { figures: '' } };
      }
    }
    await expect(buildFederatedSchema({ resolvers: [CheckedResolver] })).resolves.toBeDefined();
  });

  it('counts every entity as reachable, since the gateway may enter through any', async () => {
    @Directive('@key(fields: "id")')
    @ObjectType()
    class EnteredEntity {
      @Shopper() @Field(() => ID) id!: string;
      @Field(() => String) undeclared!: string;
    }
    @Resolver()
    class EntityOnlyResolver {
      @Authorized(StaffAction.CUSTOMERS_READ)
      @Query(() => String)
      unrelated(): string {
        return '';
      }
    }
    await expect(
      buildFederatedSchema({ resolvers: [EntityOnlyResolver], orphanedTypes: [EnteredEntity] }),
    ).rejects.toThrow('EnteredEntity.undeclared');
  });

  it('fails the build when a shopper field returns a staff-only type', async () => {
    @Directive('@key(fields: "id")')
    @InternalType()
    @ObjectType()
    class StaffListing {
      @Field(() => ID) id!: string;
    }
    @ObjectType()
    class ListedOrder {
      @Shopper() @Field(() => ID) id!: string;
      @Shopper() @Field(() => StaffListing) listing!: StaffListing;
    }
    @Resolver()
    class ListedResolver {
      @Authorized(Caller.CUSTOMER)
      @Query(() => ListedOrder)
      listedOrder(): ListedOrder {
        return { id: '1', listing: { id: '1' } };
      }
    }
    await expect(buildFederatedSchema({ resolvers: [ListedResolver] })).rejects.toThrow(
      'Shopper fields returning a staff-only type: ListedOrder.listing → StaffListing',
    );
  });

  it('serves internal fields to staff and their empty value to customers and guests', async () => {
    @Directive('@key(fields: "id")')
    @ObjectType()
    class ServedOrder {
      @Shopper() @Field(() => ID) id!: string;
      @Internal(null) @Field(() => String, { nullable: true }) ip!: string | null;
      @Internal([]) @Field(() => [String]) notes!: string[];
    }
    @Directive('@key(fields: "id")')
    @InternalType()
    @ObjectType()
    class ServedListing {
      @Field(() => ID) id!: string;
    }
    @Resolver()
    class ServedResolver {
      @Authorized(StaffAction.CUSTOMERS_READ, Caller.CUSTOMER, Caller.GUEST)
      @Query(() => ServedOrder)
      servedOrder(): ServedOrder {
        return { id: 'o-1', ip: '203.0.113.9', notes: ['called twice'] };
      }
    }
    const schema = await buildFederatedSchema({
      resolvers: [ServedResolver],
      orphanedTypes: [ServedListing],
      references: {
        ServedOrder: {
          __resolveReference: (reference: { id: string }) => ({ ...reference, ip: '203.0.113.9', notes: ['x'] }),
        },
        ServedListing: { __resolveReference: (reference: { id: string }) => reference },
      },
    });
    const query = '{ servedOrder { id ip notes } }';
    expect((await run(schema, staff([StaffAction.CUSTOMERS_READ]), query)).data.servedOrder).toEqual({
      id: 'o-1',
      ip: '203.0.113.9',
      notes: ['called twice'],
    });
    for (const context of [customer(), guest()]) {
      expect((await run(schema, context, query)).data.servedOrder).toEqual({ id: 'o-1', ip: null, notes: [] });
    }

    const entities = (typename: string, fields: string) =>
      `{ _entities(representations: [{ __typename: "${typename}", id: "e-1" }]) { ... on ${typename} { ${fields} } } }`;
    const asCustomer = await run(schema, customer(), entities('ServedOrder', 'id ip'));
    expect(asCustomer.data._entities).toEqual([{ id: 'e-1', ip: null }]);
    const listing = await run(schema, customer(), entities('ServedListing', 'id'));
    expect(listing.errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual([
      'FORBIDDEN',
    ]);
    const asStaff = await run(schema, staff([StaffAction.CUSTOMERS_READ]), entities('ServedListing', 'id'));
    expect(asStaff.data._entities).toEqual([{ id: 'e-1' }]);
  });
});
