import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { InternalType } from '@cg/subgraph';
import { GraphQLJSONObject } from 'graphql-scalars';

/**
 * C19, the right of access and to portability: one document with everything each subgraph holds
 * about the customer, each subgraph's part driven by its personal-data registry, the same one
 * erasure follows. This subgraph owns the type; the others add their parts.
 */
@InternalType()
@Directive('@key(fields: "id")')
@ObjectType({ description: 'Everything the graph holds about a customer, in one machine-readable document (C19).' })
export class CustomerDataExport {
  @Field(() => ID, { description: "The customer's id." })
  id!: string;

  @Field(() => Date)
  generatedAt!: Date;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description:
      "This subgraph's part, by section, each a list of rows: the profile, addresses, the guest they were, " +
      'the watchlist entry, timeline, audit entries about them, their metrics, and their sign-in account ' +
      '(failed sign-ins, reset links and codes sent, never a password, token or code).',
  })
  customer?: Record<string, unknown>;
}

export interface CustomerDataExportRef {
  id: string;
  generatedAt: Date;
}
