import { isUniqueViolation } from '@cg/db';
import { auditSnapshot, recordEvents } from '@cg/events';
import { actorKind, conflict, loadInStore, parseInput, type BaseContext } from '@cg/subgraph';
import { orderFeedback, outbox, type OrderFeedbackRow } from '../db/schema.ts';
import { audit } from '../audit-trail.ts';
import type { CommerceHistoryDb } from '../context.ts';
import type { OrderService } from './order.service.ts';
import { recordOrderFeedbackSchema } from './order-feedback.inputs.ts';
import type { RecordOrderFeedbackInput } from './order-feedback.inputs.ts';

export const DUPLICATE_FEEDBACK = 'The order already has feedback';

/** O4: the buyer's feedback on an order; negative feedback counts in the customer's metrics. */
export class OrderFeedbackService {
  constructor(
    private readonly db: CommerceHistoryDb,
    private readonly ctx: BaseContext,
    private readonly orders: OrderService,
  ) {}

  forOrder(orderId: string): Promise<OrderFeedbackRow | null> {
    return loadInStore<OrderFeedbackRow>(this.ctx, this.db, orderFeedback, orderId, { key: orderFeedback.orderId });
  }

  /** One per order, enforced by the database: a second is a CONFLICT and changes nothing. */
  async record(input: RecordOrderFeedbackInput): Promise<OrderFeedbackRow> {
    const data = parseInput(recordOrderFeedbackSchema, input, 'input');
    try {
      return await this.db.transaction(async (tx) => {
        // Locked like every change to an order: its customer cannot change (guest linking)
        // between reading it here and announcing the feedback to them.
        const order = await this.orders.lock(tx, data.orderId, 'input.orderId');
        const [row] = await tx
          .insert(orderFeedback)
          .values({
            storeId: this.ctx.storeId,
            orderId: order.id,
            rating: data.rating,
            comment: data.comment ?? null,
            source: actorKind(this.ctx),
            recordedBy: this.ctx.principal.userId,
          })
          .returning();
        const feedback = row!;
        await recordEvents(tx, outbox, [
          {
            type: 'order.feedback_recorded',
            storeId: this.ctx.storeId,
            customerId: order.customerId,
            payload: {
              orderId: order.id,
              number: order.number,
              feedbackId: feedback.id,
              rating: feedback.rating,
              negative: feedback.negative,
              comment: feedback.comment,
              source: feedback.source,
              recordedBy: feedback.recordedBy,
            },
          },
          audit.event(this.ctx, {
            action: 'order_feedback.record',
            entityType: 'OrderFeedback',
            entityId: feedback.id,
            customerId: order.customerId,
            before: null,
            after: auditSnapshot(feedback, ['storeId']),
          }),
        ]);
        return feedback;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'order_feedback_order_key')) throw conflict(DUPLICATE_FEEDBACK);
      throw error;
    }
  }
}
