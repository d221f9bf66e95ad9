import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Internal, Shopper } from '@cg/subgraph';
import { OrderRequestType, OrderRequestStatus } from './order-request.enum.ts';

export { OrderRequestType, OrderRequestStatus };

registerEnumType(OrderRequestType, { name: 'OrderRequestType' });

registerEnumType(OrderRequestStatus, {
  name: 'OrderRequestStatus',
  description: 'REQUESTED → APPROVED or REJECTED; APPROVED → COMPLETED or REJECTED. REJECTED and COMPLETED are final.',
});

@ObjectType({ description: 'A cancellation or return request of an order.' })
export class OrderRequest {
  @Shopper()
  @Field(() => ID)
  id!: string;
  @Shopper()
  @Field(() => OrderRequestType)
  type!: OrderRequestType;
  @Shopper()
  @Field(() => OrderRequestStatus)
  status!: OrderRequestStatus;
  @Internal(null)
  @Field(() => String, { nullable: true })
  reason!: string | null;
  @Shopper()
  @Field(() => Int, { nullable: true, description: 'Units to cancel or return; null means the whole order.' })
  units!: number | null;
  @Internal(null)
  @Field(() => String, { nullable: true, description: 'Note of the last status change.' })
  note!: string | null;
  @Internal(null)
  @Field(() => String, { nullable: true, description: 'User id of whoever made the request.' })
  requestedBy!: string | null;
  @Shopper()
  @Field(() => Date)
  createdAt!: Date;
  @Shopper()
  @Field(() => Date)
  updatedAt!: Date;
}
