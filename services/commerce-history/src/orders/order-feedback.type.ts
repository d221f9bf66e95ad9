import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { FeedbackSource } from './order-feedback.enum.ts';

export { FeedbackSource };

registerEnumType(FeedbackSource, {
  name: 'FeedbackSource',
  description: 'Who recorded the feedback: staff on the buyer’s behalf, or the customer.',
});

@ObjectType({ description: 'O4: the buyer’s feedback on an order, one per order.' })
export class OrderFeedback {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: '1 (worst) to 5 (best).' }) rating!: number;
  @Field(() => Boolean, { description: 'Rated 2 or lower: counted as negative feedback in the customer’s metrics.' })
  negative!: boolean;
  @Field(() => String, { nullable: true }) comment!: string | null;
  @Field(() => FeedbackSource) source!: FeedbackSource;
  @Field(() => String, { description: 'User id of whoever recorded it.' }) recordedBy!: string;
  @Field(() => Date) createdAt!: Date;
}
