import { describe, expect, it } from 'vitest';
import { keptPerLine, profitAndLoss, type ProfitInput } from './order-profit.ts';

// Two lines: 3 × 10.00 costing 4.00, 1 × 20.00 costing 12.00; 5.00 of discounts, 4.90 shipping,
// 9.00 tax, a 1.50 payment fee.
const order: ProfitInput = {
  status: 'delivered',
  units: 4,
  discount: 500,
  shipping: 490,
  tax: 900,
  paymentFee: 150,
  returnedUnits: 0,
  cancelledUnits: 0,
  items: [
    { quantity: 3, unitPrice: 1000, unitCost: 400 },
    { quantity: 1, unitPrice: 2000, unitCost: 1200 },
  ],
};

describe('profitAndLoss', () => {
  it('is revenue less item cost and payment fees; shipping and tax pass through', () => {
    expect(profitAndLoss(order)).toEqual({
      keptUnits: 4,
      grossSales: 5000,
      discounts: 500,
      revenue: 4500,
      costKnown: true,
      itemCost: 2400,
      paymentFees: 150,
      shipping: 490,
      tax: 900,
      profit: 1950,
      margin: 1950 / 4500,
    });
  });

  it('counts only the units kept after returns and partial cancellations, the fee whole', () => {
    // 2 of 4 units gone: 3 × 2 / 4 = 1.5 → line 1 gives 1 and, having the larger remainder, 1 more.
    const result = profitAndLoss({ ...order, returnedUnits: 1, cancelledUnits: 1 });
    expect(result).toMatchObject({ keptUnits: 2, grossSales: 1000 + 2000, discounts: 250, revenue: 2750 });
    expect(result.itemCost).toBe(400 + 1200);
    expect(result.profit).toBe(2750 - 1600 - 150);
  });

  it('has no item cost, profit or margin when a line has no cost', () => {
    const result = profitAndLoss({ ...order, items: [order.items[0]!, { ...order.items[1]!, unitCost: null }] });
    expect(result).toMatchObject({ costKnown: false, itemCost: null, profit: null, margin: null, revenue: 4500 });
  });

  it('keeps nothing of a cancelled order, and has no margin without revenue', () => {
    const result = profitAndLoss({ ...order, status: 'cancelled' });
    expect(result).toMatchObject({ keptUnits: 0, revenue: 0, itemCost: 0, profit: -150, margin: null });
  });
});

describe('keptPerLine', () => {
  it('allocates the units taken back by quantity, the largest remainders first, earlier lines on a tie', () => {
    expect(keptPerLine([1, 1, 1], 3, 1)).toEqual([0, 1, 1]);
    // 1, 1.5 and 2.5 units gone: the tied halves go to the earlier line.
    expect(keptPerLine([2, 3, 5], 10, 5)).toEqual([1, 1, 3]);
    expect(keptPerLine([2, 3], 5, 5)).toEqual([0, 0]);
    expect(keptPerLine([2, 3], 5, 0)).toEqual([2, 3]);
  });
});
