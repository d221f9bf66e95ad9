import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { OrderRequestType, OrderRequestStatus } from './order-request.enum.ts';

export { OrderRequestType, OrderRequestStatus };

registerEnumType(OrderRequestType, { name: 'OrderRequestType' });

registerEnumType(OrderRequestStatus, {
  name: 'OrderRequestStatus',
  description: 'REQUESTED → APPROVED or REJECTED; APPROVED → COMPLETED or REJECTED. REJECTED and COMPLETED are final.',
});

@ObjectType({ description: 'A cancellation or return request of an order.' })
export class OrderRequest {
  @Field(() => ID) id!: string;
  @Field(() => OrderRequestType) type!: OrderRequestType;
  @Field(() => OrderRequestStatus) status!: OrderRequestStatus;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => Int, { nullable: true, description: 'Units to cancel or return; null means the whole order.' }) units!:
    number | null;
  @Field(() => String, { nullable: true, description: 'Note of the last status change.' }) note!: string | null;
  @Field(() => String, { nullable: true, description: 'User id of whoever made the request.' }) requestedBy!:
    string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
}
