import { randomUUID } from 'node:crypto';
import type { TestStore } from './graph.ts';

/**
 * The ids of a store that holds one record of every kind an argument can name: the fixture of the
 * tests that call every root field of the supergraph (the authorization walk, the fuzz test), so
 * that a call is refused or accepted for who asks and what they send, not for a missing record.
 * Keyed by type name (`Customer`, `Order`, …), plus `store`, `ownerId` and `orderNumber`.
 */
export type RecordIds = Record<string, string>;

export async function oneOfEach(
  store: TestStore,
  options: { orderNumber: string; firstName: string; email: string },
): Promise<RecordIds> {
  const ids: RecordIds = { store: store.id, ownerId: store.ownerId, orderNumber: options.orderNumber };
  ids.Customer = (
    await store.createCustomer({
      firstName: options.firstName,
      lastName: 'Walk',
      email: options.email,
      phone: '+31612345678',
      notes: 'internal',
    })
  ).id;
  const { createCampaign } = await store.data<{ createCampaign: { id: string } }>(
    `mutation($starts: DateTimeISO!, $ends: DateTimeISO!) {
      createCampaign(input: { name: "Walk", type: "Seasonal sale", discountType: PROMOTION, startsAt: $starts, endsAt: $ends }) { id }
    }`,
    { starts: new Date(Date.now() - 86_400_000).toISOString(), ends: new Date(Date.now() + 86_400_000).toISOString() },
  );
  ids.Campaign = createCampaign.id;
  const coupon = await store.createCoupon({ code: `WALK${options.orderNumber}`, campaignId: ids.Campaign });
  ids.Coupon = coupon.id;
  ids.Order = (
    await store.recordOrder({
      number: options.orderNumber,
      customerId: ids.Customer,
      quantity: 2,
      unitPrice: 500,
      unitCost: 300,
      discount: 100,
      campaignIds: [ids.Campaign],
      couponCodes: [coupon.code],
    })
  ).id;
  const made = await store.data<{
    addAddress: { id: string };
    publishLegalDocument: { id: string };
    createSegment: { id: string };
    createStaffRole: { id: string };
  }>(
    `mutation($c: ID!, $name: String!) {
      addAddress(customerId: $c, input: { kind: DELIVERY, recipient: $name, line1: "1 A St", city: "Delft", country: "NL" }) { id }
      adjustWallet(input: { customerId: $c, amount: 700, currency: "EUR", reason: "Gift" }) { entry { id } }
      publishLegalDocument(input: { key: "terms", type: MEMBERSHIP_AGREEMENT, title: "Terms", content: "..." }) { id }
      createSegment(input: { name: "Everyone", rules: [{ kind: ORDER_COUNT, min: 0 }] }) { id }
      createStaffRole(input: { name: "Readers", actions: [CUSTOMERS_READ] }) { id }
    }`,
    { c: ids.Customer, name: options.firstName },
  );
  Object.assign(ids, {
    Address: made.addAddress.id,
    LegalDocument: made.publishLegalDocument.id,
    Segment: made.createSegment.id,
    StaffRole: made.createStaffRole.id,
  });
  const more = await store.data<{ recordPayment: { id: string }; createOrderRequest: { id: string } }>(
    `mutation($o: ID!, $c: ID!, $d: ID!, $tx: String!) {
      recordPayment(input: { orderId: $o, transactionCode: $tx, method: CASH, amount: 1000, currency: "EUR" }) { id }
      createOrderRequest(orderId: $o, type: RETURN, units: 1) { id }
      grantPermission(input: { customerId: $c, documentId: $d, source: REGISTRATION }) { id }
      watchCustomer(customerId: $c) { id }
    }`,
    { o: ids.Order, c: ids.Customer, d: ids.LegalDocument, tx: `TX-${options.orderNumber}` },
  );
  ids.Payment = more.recordPayment.id;
  ids.OrderRequest = more.createOrderRequest.id;
  const { createLoyaltyCardType } = await store.data<{ createLoyaltyCardType: { id: string } }>(
    `mutation { createLoyaltyCardType(input: { name: "Walk", sponsorshipGroup: "Partners", customerType: "Regular" }) { id } }`,
  );
  ids.LoyaltyCardType = createLoyaltyCardType.id;
  const { issueLoyaltyCard } = await store.data<{ issueLoyaltyCard: { id: string } }>(
    `mutation($c: ID!, $t: ID!) { issueLoyaltyCard(input: { customerId: $c, cardTypeId: $t, barcode: "4006381333931", vipPoints: 5 }) { id } }`,
    { c: ids.Customer, t: ids.LoyaltyCardType },
  );
  ids.LoyaltyCard = issueLoyaltyCard.id;
  return ids;
}

/**
 * The id of the record of the type an argument names: `customerId`, `orderId`, … by name, `id` by
 * the type of its field; a random uuid (a record nobody has) for anything else.
 */
export function idOf(ids: RecordIds, argName: string, typeName: string): string {
  const byName: Record<string, string | undefined> = {
    customerId: ids.Customer,
    orderId: ids.Order,
    documentId: ids.LegalDocument,
    customRoleId: ids.StaffRole,
    userId: ids.ownerId,
    cardTypeId: ids.LoyaltyCardType,
    cardId: ids.LoyaltyCard,
  };
  if (argName !== 'id') return byName[argName] ?? randomUUID();
  return ids[typeName] ?? randomUUID();
}
