import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum ImportRowStatus {
  RECORDED = 'RECORDED',
  /** An order with this number was in the store already: nothing was recorded for the row. */
  ALREADY_RECORDED = 'ALREADY_RECORDED',
  FAILED = 'FAILED',
}
registerEnumType(ImportRowStatus, { name: 'ImportRowStatus' });

@ObjectType({ description: 'What became of one row of an import.' })
export class ImportOrderRow {
  @Field(() => Int, { description: 'Position of the row in `orders`, from 0.' }) index!: number;
  @Field(() => String, { nullable: true, description: 'The order number the row gave, as given.' }) number!:
    string | null;
  @Field(() => ImportRowStatus) status!: ImportRowStatus;
  @Field(() => ID, { nullable: true, description: 'The recorded order, or the one already recorded.' }) orderId!:
    string | null;
}

@ObjectType({ description: 'Why a row of an import was not recorded.' })
export class ImportRowError {
  @Field(() => Int, { description: 'Position of the row in `orders`, from 0.' }) index!: number;
  @Field(() => String, {
    nullable: true,
    description: 'The input field, e.g. `orders.3.items.0.quantity`; null when it is the row as a whole.',
  })
  field!: string | null;
  @Field(() => String, { description: 'The error code single intake gives, e.g. BAD_USER_INPUT or CONFLICT.' })
  code!: string;
  @Field(() => String) message!: string;
}

@ObjectType({
  description:
    'O1 bulk intake: each row as `recordOrder` would have recorded it (same checks, events and metrics); rows that ' +
    'fail are left out and named, the others are kept.',
})
export class ImportOrdersResult {
  @Field(() => Int) recorded!: number;
  @Field(() => Int) alreadyRecorded!: number;
  @Field(() => Int) failed!: number;
  @Field(() => [ImportOrderRow], { description: 'One per row, in the order given.' }) rows!: ImportOrderRow[];
  @Field(() => [ImportRowError], { description: 'Every error of the failed rows, by row.' }) errors!: ImportRowError[];
}
