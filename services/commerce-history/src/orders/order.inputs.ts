import { Field, ID, InputType, Int } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { z } from 'zod';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { zx } from '@cg/subgraph';
import { OrderChannel, OrderStatus } from './order.type.ts';
import { OrderRequestType } from './order-request.type.ts';
import { PaymentMethod } from '../payments/payment.type.ts';
import { campaignIdsSchema } from '../campaigns/campaign.inputs.ts';

@InputType({ description: 'Contact of a shopper without a customer profile: an email or a phone is required.' })
export class GuestContactInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true, description: 'With country code, e.g. +90 532 123 45 67.' }) phone?:
    string | null;
}

@InputType()
export class OrderItemInput {
  @Field(() => String, { description: "The sales platform's product id." }) productId!: string;
  @Field(() => String, { nullable: true }) sku?: string | null;
  @Field(() => String) name!: string;
  @Field(() => Int, { description: 'At least 1.' }) quantity!: number;
  @Field(() => GraphQLSafeInt, { description: 'Minor units of the order currency.' }) unitPrice!: number;
  @Field(() => GraphQLSafeInt, { nullable: true, description: 'Discount on the whole line, minor units (default 0).' })
  discount?: number | null;
  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description: 'O3 P&L: what one unit cost the seller, minor units (at least 0); omit when unknown.',
  })
  unitCost?: number | null;
}

@InputType({
  description:
    'O1 intake. The server computes subtotal (Σ quantity × unitPrice), discount (item discounts + `discount`) and ' +
    'total = subtotal − discount + shipping + tax.',
})
export class RecordOrderInput {
  @Field(() => String, { description: 'Exactly 10 uppercase letters or digits; unique in the store.' }) number!: string;
  @Field(() => ID, { nullable: true, description: 'The customer profile; omit for a guest order and give `guest`.' })
  customerId?: string | null;
  @Field(() => GuestContactInput, { nullable: true, description: 'Only for orders without a customer.' })
  guest?: GuestContactInput | null;
  @Field(() => OrderChannel) channel!: OrderChannel;
  @Field(() => String, { nullable: true, description: 'Name of the sales platform or app.' }) platform?: string | null;
  @Field(() => String, { nullable: true }) receiptNumber?: string | null;
  @Field(() => OrderStatus, { nullable: true, description: 'Default NEW.' }) status?: OrderStatus | null;
  @Field(() => String, { description: 'ISO 4217 code of every amount of the order.' }) currency!: string;
  @Field(() => [OrderItemInput]) items!: OrderItemInput[];
  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description: 'Order-level discount on top of item discounts (default 0).',
  })
  discount?: number | null;
  @Field(() => GraphQLSafeInt, { nullable: true, description: 'Default 0.' }) shipping?: number | null;
  @Field(() => GraphQLSafeInt, { nullable: true, description: 'Default 0.' }) tax?: number | null;
  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description: "O3 P&L: the payment provider's fee for the order, minor units (default 0).",
  })
  paymentFee?: number | null;
  @Field(() => PaymentMethod, { nullable: true }) paymentMethod?: PaymentMethod | null;
  @Field(() => [String], {
    nullable: true,
    description:
      'O8: codes of coupons of the store (case-insensitive). An unknown code is BAD_USER_INPUT; a stopped, ' +
      'not yet started, expired or used-up one CONFLICT with `extensions.reason`; `discount` must cover what ' +
      'the coupons take off. Nothing is recorded then.',
  })
  couponCodes?: string[] | null;
  @Field(() => [ID], {
    nullable: true,
    description: 'O7: the campaigns of the store applied to the order; an unknown id is BAD_USER_INPUT.',
  })
  campaignIds?: string[] | null;
  @Field(() => String, {
    nullable: true,
    deprecationReason: 'Free text kept as recorded; name campaigns by id in `campaignIds`.',
  })
  campaignId?: string | null;
  @Field(() => String, {
    nullable: true,
    deprecationReason: 'Free text kept as recorded; name campaigns by id in `campaignIds`.',
  })
  campaignName?: string | null;
  @Field(() => Date, { nullable: true, description: 'When the order was placed on the sales platform (default now).' })
  placedAt?: Date | null;
  @Field(() => String, { nullable: true, description: "The shopper's IP address." }) ip?: string | null;
}

@InputType({ description: 'Both ends are inclusive.' })
export class CustomerOrdersFilter {
  @Field(() => Date, { nullable: true }) from?: Date | null;
  @Field(() => Date, { nullable: true }) to?: Date | null;
  @Field(() => [OrderStatus], { nullable: true, description: 'Any of these statuses.' }) status?: OrderStatus[] | null;
  @Field(() => OrderRequestType, {
    nullable: true,
    description: 'Orders that have a request of this type, in any status.',
  })
  requestType?: OrderRequestType | null;
}

// ---- zod: the rules behind the GraphQL shapes ----

const ORDER_NUMBER = /^[A-Z0-9]{10}$/;
export const orderNumber = z
  .string()
  .regex(ORDER_NUMBER, { message: 'must be exactly 10 uppercase letters or digits' });

/** O10: what a guest may ask for at once. */
export const guestLookupSchema = z
  .array(orderNumber)
  .min(1, 'must name at least one order number')
  .max(10, 'must name at most 10 order numbers')
  .transform((numbers) => [...new Set(numbers)]);

const nonNegative = zx.minorUnits.refine((value) => value >= 0, { message: 'must not be negative' });
const placedAt = z
  .date({ message: 'must be a date-time' })
  .refine((value) => value.getTime() <= Date.now() + 5 * 60_000, { message: 'must not be in the future' });

/**
 * Phones are stored in E.164; a guest's number must carry its country code, as `+…` or as the
 * international prefix `00…` (which libphonenumber reads only with a calling country).
 */
function toE164(raw: string): string | undefined {
  const parsed = parsePhoneNumberFromString(raw.trim().replace(/^00(?=[1-9])/, '+'));
  return parsed?.isValid() ? parsed.number : undefined;
}

const guest = z
  .object({
    name: zx.optionalText(200),
    email: zx.email.nullish(),
    phone: z
      .string()
      .trim()
      .max(32)
      .nullish()
      .transform((value, ctx) => {
        if (!value) return null;
        const e164 = toE164(value);
        if (!e164) {
          ctx.addIssue({ code: 'custom', message: 'must be a valid phone number with country code' });
          return z.NEVER;
        }
        return e164;
      }),
  })
  .superRefine((data, ctx) => {
    if (!data.email && !data.phone)
      ctx.addIssue({ code: 'custom', path: ['email'], message: 'an email or a phone number is required' });
  });

const item = z.object({
  productId: zx.text(100),
  sku: zx.optionalText(100),
  name: zx.text(300),
  quantity: z
    .number()
    .int({ message: 'must be a whole number' })
    .min(1, 'must be at least 1')
    .max(1_000_000, 'must be at most 1000000'),
  unitPrice: nonNegative,
  discount: nonNegative.nullish().transform((value) => value ?? 0),
  unitCost: nonNegative.nullish().transform((value) => value ?? null),
});

/** O8: codes are case-insensitive, so a repeat in another case is the same coupon, kept once as first given. */
const couponCodes = z
  .array(z.string().trim().min(1, 'must not be empty').max(50))
  .max(20, 'at most 20 coupon codes')
  .transform((list) => {
    const keys = list.map((code) => code.toLowerCase());
    return list.filter((_, index) => keys.indexOf(keys[index]!) === index);
  });

export const recordOrderSchema = z
  .object({
    number: orderNumber,
    customerId: zx.id.nullish(),
    guest: guest.nullish(),
    channel: z.enum(OrderChannel),
    platform: zx.optionalText(100),
    receiptNumber: zx.optionalText(100),
    status: z
      .enum(OrderStatus)
      .nullish()
      .transform((value) => value ?? OrderStatus.NEW),
    currency: zx.currency,
    items: z.array(item).min(1, 'an order needs at least one item').max(500, 'at most 500 items'),
    discount: nonNegative.nullish().transform((value) => value ?? 0),
    shipping: nonNegative.nullish().transform((value) => value ?? 0),
    tax: nonNegative.nullish().transform((value) => value ?? 0),
    paymentFee: nonNegative.nullish().transform((value) => value ?? 0),
    paymentMethod: z.enum(PaymentMethod).nullish(),
    couponCodes: couponCodes.nullish().transform((value) => value ?? []),
    campaignIds: campaignIdsSchema.nullish().transform((value) => value ?? []),
    campaignId: zx.optionalText(100),
    campaignName: zx.optionalText(200),
    placedAt: placedAt.nullish(),
    ip: zx.ip.nullish(),
  })
  .superRefine((data, ctx) => {
    if (data.customerId && data.guest) {
      ctx.addIssue({ code: 'custom', path: ['guest'], message: 'must be omitted when customerId is set' });
    }
    if (!data.customerId && !data.guest) {
      ctx.addIssue({ code: 'custom', path: ['customerId'], message: 'a customerId or a guest contact is required' });
    }
    data.items.forEach((line, index) => {
      const gross = line.quantity * line.unitPrice;
      if (!Number.isSafeInteger(gross))
        ctx.addIssue({
          code: 'custom',
          path: ['items', index, 'unitPrice'],
          message: 'quantity × unitPrice is too large',
        });
      else if (line.discount > gross) {
        ctx.addIssue({
          code: 'custom',
          path: ['items', index, 'discount'],
          message: 'must not exceed quantity × unitPrice',
        });
      }
    });
    const totals = orderTotals(data);
    if (!totals) ctx.addIssue({ code: 'custom', path: ['items'], message: 'the order total is too large' });
    else if (totals.total < 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['discount'],
        message: 'must not exceed the subtotal after item discounts plus shipping and tax',
      });
    }
  });

export interface OrderTotals {
  subtotal: number;
  discount: number;
  total: number;
  units: number;
}

/** Σ quantity × unitPrice, item discounts plus the order's; undefined when a sum leaves the safe range. */
export function orderTotals(data: {
  items: { quantity: number; unitPrice: number; discount: number }[];
  discount: number;
  shipping: number;
  tax: number;
}): OrderTotals | undefined {
  let subtotal = 0;
  let discount = data.discount;
  let units = 0;
  for (const line of data.items) {
    subtotal += line.quantity * line.unitPrice;
    discount += line.discount;
    units += line.quantity;
  }
  const total = subtotal - discount + data.shipping + data.tax;
  const safe = [subtotal, discount, total, units].every(Number.isSafeInteger) && units <= 2_147_483_647;
  return safe ? { subtotal, discount, total, units } : undefined;
}

export const updateOrderStatusSchema = z.object({
  status: z.enum(OrderStatus),
  note: zx.optionalText(1000),
});

export const customerOrdersFilterSchema = z
  .object({
    from: z.date().nullish(),
    to: z.date().nullish(),
    status: z.array(z.enum(OrderStatus)).max(13).nullish(),
    requestType: z.enum(OrderRequestType).nullish(),
  })
  .superRefine((data, ctx) => {
    if (data.from && data.to && data.from > data.to)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  });
