import { buildFederatedSchema } from '@cg/subgraph';
import { CustomerDataExportResolver } from './personal-data/customer-data-export.resolver.ts';
import { CustomerDataExport } from './personal-data/customer-data-export.type.ts';
import { customerDataExportReference } from './personal-data/customer-data-export.reference.ts';
import { Customer } from './customers/customer.type.ts';
import { customerReference } from './customers/customer.reference.ts';
import { CustomerOrdersResolver, OrderResolver } from './orders/order.resolver.ts';
import { orderReference } from './orders/order.reference.ts';
import { OrderRequestResolver, OrderRequestsResolver } from './orders/order-request.resolver.ts';
import { OrderProfitResolver } from './orders/order-profit.resolver.ts';
import { CustomerPaymentsResolver, OrderPaymentsResolver, PaymentResolver } from './payments/payment.resolver.ts';
import { paymentReference } from './payments/payment.reference.ts';
import { OrderFeedbackFieldResolver, OrderFeedbackResolver } from './orders/order-feedback.resolver.ts';
import { Guest } from './guests/guest.type.ts';
import { guestReference } from './guests/guest.reference.ts';
import { GuestOrdersResolver } from './guests/guest.resolver.ts';
import { CampaignResolver, CustomerCampaignsResolver, OrderCampaignsResolver } from './campaigns/campaign.resolver.ts';
import { campaignReference } from './campaigns/campaign.reference.ts';
import { CouponResolver, CustomerCouponsResolver, OrderCouponsResolver } from './coupons/coupon.resolver.ts';
import { couponReference } from './coupons/coupon.reference.ts';
import { CustomerLogsResolver, LogEntryResolver } from './logs/log.resolver.ts';
import { CustomerPurchasedProductsResolver } from './products/purchased-product.resolver.ts';
import { ImportResolver } from './imports/import.resolver.ts';

export function buildSchema() {
  return buildFederatedSchema({
    resolvers: [
      CustomerDataExportResolver,
      CustomerOrdersResolver,
      ImportResolver,
      OrderResolver,
      OrderRequestsResolver,
      OrderProfitResolver,
      OrderRequestResolver,
      OrderFeedbackFieldResolver,
      OrderFeedbackResolver,
      GuestOrdersResolver,
      CustomerPaymentsResolver,
      OrderPaymentsResolver,
      PaymentResolver,
      CampaignResolver,
      OrderCampaignsResolver,
      CustomerCampaignsResolver,
      CouponResolver,
      CustomerCouponsResolver,
      OrderCouponsResolver,
      CustomerLogsResolver,
      LogEntryResolver,
      CustomerPurchasedProductsResolver,
    ],
    // Customer and Guest are only extended here (their fields come from field resolvers).
    orphanedTypes: [CustomerDataExport, Customer, Guest],
    references: {
      ...customerDataExportReference,
      ...customerReference,
      ...guestReference,
      ...orderReference,
      ...paymentReference,
      ...campaignReference,
      ...couponReference,
    },
  });
}
