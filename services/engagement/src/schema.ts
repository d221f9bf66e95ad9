import { buildFederatedSchema } from '@cg/subgraph';
import { CustomerDataExportResolver } from './personal-data/customer-data-export.resolver.ts';
import { CustomerDataExport } from './personal-data/customer-data-export.type.ts';
import { customerDataExportReference } from './personal-data/customer-data-export.reference.ts';
import { Customer } from './customers/customer.type.ts';
import { customerReference } from './customers/customer.reference.ts';
import { CustomerWalletResolver, WalletEntryResolver, WalletResolver } from './wallet/wallet.resolver.ts';
import {
  CustomerLoyaltyFieldResolver,
  CustomerLoyaltyResolver,
  LoyaltyEntryResolver,
  LoyaltyProgramResolver,
} from './loyalty/loyalty.resolver.ts';
import { CustomerLoyaltyTierResolver, LoyaltyTiersResolver } from './loyalty-tiers/loyalty-tier.resolver.ts';
import {
  CustomerLoyaltyCardsResolver,
  LoyaltyCardResolver,
  LoyaltyCardTypeResolver,
} from './loyalty-cards/loyalty-card.resolver.ts';
import {
  CustomerReferenceCodesResolver,
  ReferenceCodeResolver,
  ReferenceCodeUseResolver,
} from './reference-codes/reference-code.resolver.ts';
import { referenceCodeReference } from './reference-codes/reference-code.reference.ts';

export function buildSchema() {
  return buildFederatedSchema({
    resolvers: [
      CustomerDataExportResolver,
      CustomerWalletResolver,
      WalletResolver,
      WalletEntryResolver,
      CustomerLoyaltyFieldResolver,
      CustomerLoyaltyResolver,
      LoyaltyProgramResolver,
      LoyaltyEntryResolver,
      LoyaltyTiersResolver,
      CustomerLoyaltyTierResolver,
      CustomerLoyaltyCardsResolver,
      LoyaltyCardTypeResolver,
      LoyaltyCardResolver,
      ReferenceCodeResolver,
      ReferenceCodeUseResolver,
      CustomerReferenceCodesResolver,
    ],
    // Customer is only extended here (through field resolvers).
    orphanedTypes: [CustomerDataExport, Customer],
    references: {
      ...customerDataExportReference,
      ...customerReference,
      ...referenceCodeReference,
    },
  });
}
