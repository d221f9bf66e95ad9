import { buildFederatedSchema } from '@cg/subgraph';
import { Customer } from './customers/customer.type.ts';
import { customerReference } from './customers/customer.reference.ts';
import { CustomerWalletResolver, WalletEntryResolver, WalletResolver } from './wallet/wallet.resolver.ts';

export function buildSchema() {
  return buildFederatedSchema({
    resolvers: [CustomerWalletResolver, WalletResolver, WalletEntryResolver],
    // Customer is only extended here (through field resolvers).
    orphanedTypes: [Customer],
    references: { ...customerReference },
  });
}
