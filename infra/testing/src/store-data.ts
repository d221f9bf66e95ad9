import type { TestStore } from './graph.ts';

/**
 * Test data made through the gateway, as the tests' clients would make it. These are methods of
 * TestStore that call `this.data`, so a copy of a store with another staff token
 * (`{ ...store, token, data }`) makes the data as that user.
 */

/** CreateCustomerInput fields; `firstName`, `lastName` and, unless a phone is given, `email` default. */
export type CustomerFields = Record<string, unknown>;

export interface CreatedCustomer {
  id: string;
}

/**
 * RecordOrderInput fields. Without `items`, the order has one item of `quantity` (default 1) ×
 * `unitPrice` (default 1000 minor units); `number`, `channel` and `currency` default to a number
 * unique in the run, WEB and the store's currency.
 */
export interface OrderFields {
  /**
   * The customer profile, one `createCustomer` made in this store (intake refuses any other);
   * null or absent for a guest order (give `guest`).
   */
  customerId?: string | null;
  unitPrice?: number;
  quantity?: number;
  /** The line's unit cost (O3 P&L); none when absent. */
  unitCost?: number;
  [field: string]: unknown;
}

export interface RecordedOrder {
  id: string;
  number: string;
  total: { amount: number; currency: string };
}

interface CreatedCoupon {
  id: string;
  code: string;
}

export interface StoreData {
  /**
   * createCoupon (O8). Defaults: a code unique in the run, FIXED_AMOUNT of 100 minor units of the
   * store's currency, no limits, started a day ago; `fields` replace them (give `amount: null` and
   * `currency: null` for FREE_SHIPPING).
   */
  createCoupon(this: TestStore, fields?: Record<string, unknown>): Promise<CreatedCoupon>;
  /** createCustomer (C1). */
  createCustomer(this: TestStore, fields?: CustomerFields): Promise<CreatedCustomer>;
  /** recordOrder (O1); projections such as the metrics catch up asynchronously (wait with `eventually`). */
  recordOrder(this: TestStore, fields?: OrderFields): Promise<RecordedOrder>;
  /** O4: a return request of `units` (the rest of the order when null), approved and completed. */
  completeReturn(this: TestStore, orderId: string, units: number | null): Promise<void>;
  /** O4: a cancellation request of `units` (the whole order when null), approved and completed. */
  completeCancellation(this: TestStore, orderId: string, units: number | null): Promise<void>;
  /** O4: the buyer's feedback on an order, rated 1–5. */
  recordFeedback(this: TestStore, orderId: string, rating: number, comment?: string): Promise<void>;
}

let customers = 0;
let orders = 0;
let coupons = 0;

export const storeData: StoreData = {
  async createCustomer(fields = {}) {
    customers += 1;
    const contact = 'email' in fields || 'phone' in fields ? {} : { email: `customer${customers}@test.example` };
    const input = { firstName: 'Test', lastName: `Customer${customers}`, ...contact, ...fields };
    const { createCustomer } = await this.data<{ createCustomer: CreatedCustomer }>(
      `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`,
      { input },
    );
    return createCustomer;
  },

  async createCoupon(fields = {}) {
    coupons += 1;
    const input = {
      code: `TEST${coupons}`,
      name: `Coupon ${coupons}`,
      type: 'Promotion',
      discountType: 'FIXED_AMOUNT',
      amount: 100,
      currency: this.currency,
      startsAt: daysAgo(1),
      ...fields,
    };
    const { createCoupon } = await this.data<{ createCoupon: CreatedCoupon }>(
      `mutation($input: CreateCouponInput!) { createCoupon(input: $input) { id code } }`,
      { input },
    );
    return createCoupon;
  },

  async recordOrder(fields = {}) {
    orders += 1;
    const { unitPrice = 1000, quantity = 1, unitCost, ...rest } = fields;
    const input = {
      number: `TST${String(orders).padStart(7, '0')}`,
      channel: 'WEB',
      currency: this.currency,
      items: [
        { productId: 'p', name: 'Product', quantity, unitPrice, ...(unitCost === undefined ? {} : { unitCost }) },
      ],
      ...rest,
    };
    const { recordOrder } = await this.data<{ recordOrder: RecordedOrder }>(
      `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { id number total { amount currency } } }`,
      { input },
    );
    return recordOrder;
  },

  completeReturn(orderId, units) {
    return completeRequest(this, 'RETURN', orderId, units);
  },

  completeCancellation(orderId, units) {
    return completeRequest(this, 'CANCELLATION', orderId, units);
  },

  async recordFeedback(orderId, rating, comment) {
    await this.data(`mutation($input: RecordOrderFeedbackInput!) { recordOrderFeedback(input: $input) { id } }`, {
      input: { orderId, rating, comment },
    });
  },
};

/** An ISO timestamp `days` days before now, for `placedAt` and date filters. */
export const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

async function completeRequest(
  store: TestStore,
  type: 'RETURN' | 'CANCELLATION',
  orderId: string,
  units: number | null,
): Promise<void> {
  const { createOrderRequest } = await store.data<{ createOrderRequest: { id: string } }>(
    `mutation($orderId: ID!, $type: OrderRequestType!, $units: Int) { createOrderRequest(orderId: $orderId, type: $type, units: $units) { id } }`,
    { orderId, type, units },
  );
  for (const status of ['APPROVED', 'COMPLETED']) {
    await store.data(
      `mutation($id: ID!, $status: OrderRequestStatus!) { updateOrderRequestStatus(id: $id, status: $status) { id } }`,
      { id: createOrderRequest.id, status },
    );
  }
}
