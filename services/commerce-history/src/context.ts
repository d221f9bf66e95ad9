import type { Database, ScopedDatabase } from '@cg/db';
import { CustomerDirectory, PersonalDataExport, type BaseContext } from '@cg/subgraph';
import { customerDirectory, type tables } from './db/schema.ts';
import { personalData } from './personal-data/personal-data.registry.ts';
import { OrderService } from './orders/order.service.ts';
import { OrderRequestService } from './orders/order-request.service.ts';
import { OrderFeedbackService } from './orders/order-feedback.service.ts';
import { PaymentService } from './payments/payment.service.ts';
import { CampaignService } from './campaigns/campaign.service.ts';
import { CouponService } from './coupons/coupon.service.ts';
import { CouponRedemptionService } from './coupons/coupon-redemption.service.ts';
import { LogService } from './logs/log.service.ts';
import { PurchasedProductService } from './products/purchased-product.service.ts';
import { ImportService } from './imports/import.service.ts';

export type CommerceHistoryDb = Database<typeof tables>['orm'];

export interface CommerceHistoryContext extends BaseContext {
  personalData: PersonalDataExport;
  orders: OrderService;
  orderRequests: OrderRequestService;
  orderFeedback: OrderFeedbackService;
  payments: PaymentService;
  campaigns: CampaignService;
  coupons: CouponService;
  logs: LogService;
  purchasedProducts: PurchasedProductService;
  imports: ImportService;
}

export function createContext(base: BaseContext, db: ScopedDatabase<typeof tables>): CommerceHistoryContext {
  const campaigns = new CampaignService(db.orm, base);
  const coupons = new CouponService(db.orm, base, campaigns);
  const orders = new OrderService(
    db.orm,
    base,
    new CustomerDirectory(db.orm, base, customerDirectory),
    campaigns,
    new CouponRedemptionService(base),
  );
  return {
    ...base,
    personalData: new PersonalDataExport(db.orm, base, personalData),
    orders,
    orderRequests: new OrderRequestService(db.orm, base, orders),
    orderFeedback: new OrderFeedbackService(db.orm, base, orders),
    payments: new PaymentService(db.orm, base),
    campaigns,
    coupons,
    logs: new LogService(db.orm, base),
    purchasedProducts: new PurchasedProductService(db.orm, base),
    imports: new ImportService(db.orm, base, orders),
  };
}
