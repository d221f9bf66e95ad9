import { Field, ID, InputType, Int } from 'type-graphql';
import { z } from 'zod';
import { zx } from '@cg/subgraph';

@InputType({ description: 'O4: feedback on an order; an order takes one (a second is a CONFLICT).' })
export class RecordOrderFeedbackInput {
  @Field(() => ID) orderId!: string;
  @Field(() => Int, { description: '1 (worst) to 5 (best); 2 or lower is negative feedback.' }) rating!: number;
  @Field(() => String, { nullable: true, description: 'At most 2000 characters.' }) comment?: string | null;
}

export const recordOrderFeedbackSchema = z.object({
  orderId: zx.id,
  rating: z
    .number()
    .int({ message: 'must be a whole number' })
    .min(1, 'must be between 1 and 5')
    .max(5, 'must be between 1 and 5'),
  comment: zx.optionalText(2000),
});
