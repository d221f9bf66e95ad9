import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { InternalType } from '@cg/subgraph';

/** The customer subgraph owns the document; this subgraph adds its part (C19). */
@InternalType()
@Directive('@key(fields: "id")')
@ObjectType({ description: 'Everything the graph holds about a customer, in one machine-readable document (C19).' })
export class CustomerDataExport {
  @Field(() => ID, { description: "The customer's id." })
  id!: string;
}

export interface CustomerDataExportRef {
  id: string;
}
