/**
 * O3: an order's profit and loss (S3 "order Summary and a P&L"), computed from what intake
 * recorded and what became of the order (order-outcome.ts). Pure: the resolver feeds it the rows
 * its loaders batched.
 *
 * Only the units the order still has count ("kept": not returned, not cancelled; none once the
 * order is CANCELLED). The units taken back are allocated to the lines in proportion to their
 * quantities, as purchased products allocate returns: each line gets the whole part of
 * quantity × taken ÷ order units, and the units left go one each to the lines with the largest
 * remainders, the earlier line first on a tie.
 *
 * - grossSales = Σ unit price × kept units of each line
 * - discounts = the order's discount (item and order-level) × kept ÷ order units, rounded down
 * - revenue = grossSales − discounts
 * - itemCost = Σ unit cost × kept units of each line; null unless every line's cost was recorded
 * - paymentFees = the fee recorded with the order, kept whole (providers keep it on refunds)
 * - profit = revenue − itemCost − paymentFees; null when the item cost is unknown
 * - margin = profit ÷ revenue; null when the profit is unknown or the revenue is 0
 *
 * Shipping and tax are shown as recorded and left out of profit: the shipping charged pays the
 * carrier and the tax is owed to the authorities, so both pass through the seller.
 */
export interface ProfitInput {
  status: string;
  units: number;
  discount: number;
  shipping: number;
  tax: number;
  paymentFee: number;
  returnedUnits: number;
  /** Units of completed partial cancellations (order-outcome.ts). */
  cancelledUnits: number;
  items: readonly { quantity: number; unitPrice: number; unitCost: number | null }[];
}

export interface ProfitAndLoss {
  keptUnits: number;
  grossSales: number;
  discounts: number;
  revenue: number;
  costKnown: boolean;
  itemCost: number | null;
  paymentFees: number;
  shipping: number;
  tax: number;
  profit: number | null;
  margin: number | null;
}

/** How many of each line's units the order keeps when `taken` of its `units` are gone (above). */
export function keptPerLine(quantities: readonly number[], units: number, taken: number): number[] {
  if (units <= 0 || taken <= 0) return [...quantities];
  const gone = Math.min(taken, units);
  const shares = quantities.map((quantity, index) => ({
    index,
    share: Math.floor((quantity * gone) / units),
    remainder: (quantity * gone) % units,
  }));
  let left = gone - shares.reduce((sum, line) => sum + line.share, 0);
  for (const line of [...shares].sort((a, b) => b.remainder - a.remainder || a.index - b.index)) {
    if (left === 0) break;
    if (line.share < quantities[line.index]!) {
      line.share += 1;
      left -= 1;
    }
  }
  return shares.map((line) => quantities[line.index]! - line.share);
}

export function profitAndLoss(order: ProfitInput): ProfitAndLoss {
  const kept = order.status === 'cancelled' ? 0 : Math.max(0, order.units - order.returnedUnits - order.cancelledUnits);
  const perLine = keptPerLine(
    order.items.map((line) => line.quantity),
    order.units,
    order.units - kept,
  );
  const grossSales = order.items.reduce((sum, line, index) => sum + line.unitPrice * perLine[index]!, 0);
  const discounts = order.units > 0 ? Number((BigInt(order.discount) * BigInt(kept)) / BigInt(order.units)) : 0;
  const revenue = grossSales - discounts;
  const costKnown = order.items.every((line) => line.unitCost !== null);
  const itemCost = costKnown
    ? order.items.reduce((sum, line, index) => sum + line.unitCost! * perLine[index]!, 0)
    : null;
  const profit = itemCost === null ? null : revenue - itemCost - order.paymentFee;
  return {
    keptUnits: kept,
    grossSales,
    discounts,
    revenue,
    costKnown,
    itemCost,
    paymentFees: order.paymentFee,
    shipping: order.shipping,
    tax: order.tax,
    profit,
    margin: profit === null || revenue === 0 ? null : profit / revenue,
  };
}
