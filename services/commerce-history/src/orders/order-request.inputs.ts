import { z } from 'zod';
import { zx } from '@cg/subgraph';
import { OrderRequestStatus, OrderRequestType } from './order-request.type.ts';

/** The arguments of `createOrderRequest` (no input object: the mutation takes them flat). */
export const createOrderRequestSchema = z.object({
  type: z.enum(OrderRequestType),
  reason: zx.optionalText(1000),
  units: z.number().int({ message: 'must be a whole number' }).min(1, 'must be at least 1').nullish(),
});

export const updateOrderRequestStatusSchema = z.object({
  status: z.enum(OrderRequestStatus),
  note: zx.optionalText(1000),
});

/** Allowed moves; REJECTED and COMPLETED are final. */
export const REQUEST_TRANSITIONS: Record<OrderRequestStatus, readonly OrderRequestStatus[]> = {
  [OrderRequestStatus.REQUESTED]: [OrderRequestStatus.APPROVED, OrderRequestStatus.REJECTED],
  [OrderRequestStatus.APPROVED]: [OrderRequestStatus.COMPLETED, OrderRequestStatus.REJECTED],
  [OrderRequestStatus.REJECTED]: [],
  [OrderRequestStatus.COMPLETED]: [],
};
