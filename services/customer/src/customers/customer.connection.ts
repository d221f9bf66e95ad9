import { ObjectType } from 'type-graphql';
import { Connection } from '@cg/subgraph';
import { Customer } from './customer.type.ts';

@ObjectType()
export class CustomerConnection extends Connection(Customer) {}
