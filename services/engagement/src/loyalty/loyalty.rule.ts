import type { LoyaltyProgramRow } from '../db/schema.ts';
import type { LoyaltyRounding } from './loyalty.enum.ts';

/**
 * E4: what an EARNED entry keeps of the rule and the order that gave its points. Reversals and
 * partial returns read the entry's points, never the program again, so editing the program
 * changes nothing already earned. The order's lines are carried as the events carry them: their
 * units and distinct SKUs (order.recorded has no per-line amounts).
 */
export interface LoyaltyRule {
  programVersion: number;
  points: number;
  perMinorUnits: number;
  rounding: `${LoyaltyRounding}`;
  pendingDays: number;
  /** The program's expiry when it earned (months after the points became spendable); null or absent: never. */
  expiryMonths?: number | null;
  /** Minor units the points were earned on: the order's total (after discounts) less partial cancellations. */
  amount: number;
  currency: string;
  units: number;
  /**
   * Units partial cancellations had taken off before it earned, which `amount` already leaves
   * out: later reversals share the points among the other units. Absent in entries earned before
   * it was kept: none.
   */
  cancelledUnits?: number;
  skus: string[];
  placedAt: string;
}

/**
 * floor(amount × points ÷ perMinorUnits), once per order: fractions of a point are never earned,
 * whatever the lines. BigInt, as a large total times the rate may pass 2^53.
 */
export function pointsEarned(amount: number, rate: { points: number; perMinorUnits: number }): number {
  if (amount <= 0) return 0;
  return Number((BigInt(amount) * BigInt(rate.points)) / BigInt(rate.perMinorUnits));
}

/**
 * The part of `earned` that `units` of `orderUnits` returned take back, cumulatively: each partial
 * return moves the reversed total to floor(earned × returned ÷ orderUnits), so the partial
 * reversals never add up to more than was earned and the last unit back takes the remainder.
 */
export function shareOf(earned: number, units: number, orderUnits: number): number {
  if (orderUnits <= 0 || units >= orderUnits) return earned;
  if (units <= 0) return 0;
  return Number((BigInt(earned) * BigInt(units)) / BigInt(orderUnits));
}

export function ruleOf(
  program: LoyaltyProgramRow,
  order: {
    amount: number;
    currency: string;
    units: number;
    cancelledUnits: number;
    skus: string[];
    placedAt: string;
  },
): LoyaltyRule {
  return {
    programVersion: program.version,
    points: program.ratePoints,
    perMinorUnits: program.ratePerMinorUnits,
    rounding: program.rounding,
    pendingDays: program.pendingDays,
    expiryMonths: program.expiryMonths,
    ...order,
  };
}

/**
 * The units a reversal shares an order's points among and the units gone from them: the units
 * the order earned on (less what was cancelled before), and those returned or cancelled since.
 */
export function unitsGone(
  rule: Pick<LoyaltyRule, 'units' | 'cancelledUnits'>,
  since: { returnedUnits: number; cancelledUnits: number },
): { units: number; orderUnits: number } {
  const cancelledBefore = rule.cancelledUnits ?? 0;
  return {
    units: since.returnedUnits + Math.max(0, since.cancelledUnits - cancelledBefore),
    orderUnits: rule.units - cancelledBefore,
  };
}
