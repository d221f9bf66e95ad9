import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Internal, Shopper } from '@cg/subgraph';
import { FeedbackSource } from './order-feedback.enum.ts';

export { FeedbackSource };

registerEnumType(FeedbackSource, {
  name: 'FeedbackSource',
  description: 'Who recorded the feedback: staff on the buyer’s behalf, or the customer.',
});

@ObjectType({ description: 'O4: the buyer’s feedback on an order, one per order.' })
export class OrderFeedback {
  @Shopper()
  @Field(() => ID)
  id!: string;
  @Shopper()
  @Field(() => Int, { description: '1 (worst) to 5 (best).' })
  rating!: number;
  @Shopper()
  @Field(() => Boolean, { description: 'Rated 2 or lower: counted as negative feedback in the customer’s metrics.' })
  negative!: boolean;
  @Shopper()
  @Field(() => String, { nullable: true })
  comment!: string | null;
  @Shopper()
  @Field(() => FeedbackSource)
  source!: FeedbackSource;
  @Internal(null)
  @Field(() => String, { nullable: true, description: 'User id of whoever recorded it; staff only (null for others).' })
  recordedBy!: string | null;
  @Shopper()
  @Field(() => Date)
  createdAt!: Date;
}
