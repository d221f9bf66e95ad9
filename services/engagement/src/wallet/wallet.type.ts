import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, Internal, Shopper } from '@cg/subgraph';
import { Customer } from '../customers/customer.type.ts';
import { WalletEntryKind } from './wallet.enum.ts';

export { WalletEntryKind };

registerEnumType(WalletEntryKind, {
  name: 'WalletEntryKind',
  description: 'CREDIT adds to the wallet, DEBIT deducts, EXPIRY removes the unspent rest of an expired credit.',
});

@ObjectType({ description: 'One line of the append-only wallet ledger.' })
export class WalletEntry {
  @Shopper()
  @Field(() => ID)
  id!: string;
  @Shopper()
  @Field(() => WalletEntryKind)
  kind!: WalletEntryKind;
  @Shopper()
  @Field(() => String)
  reason!: string;
  @Shopper()
  @Field(() => Date, {
    nullable: true,
    description: 'Credits only: when the unspent rest of this credit leaves the balance.',
  })
  expiresAt!: Date | null;
  @Shopper()
  @Field(() => ID, { nullable: true, description: 'EXPIRY entries only: the credit that expired.' })
  expiredCreditId!: string | null;
  @Internal(null)
  @Field(() => String, {
    nullable: true,
    description: 'Id of the staff user who made the change; null for system entries (expiry).',
  })
  createdBy!: string | null;
  @Shopper()
  @Field(() => Boolean, { description: 'The staff asked for the customer to be notified of this change.' })
  notifyCustomer!: boolean;
  @Shopper()
  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType()
export class WalletEntryConnection extends Connection(WalletEntry) {}

@ObjectType({
  description:
    "A customer's store balance (E1). A customer who never had a wallet adjustment has no currency and a null balance. " +
    "Its id is its customer's id: every customer has exactly one, also before the first adjustment.",
})
export class Wallet {}

/** What Wallet's field resolvers receive: the customer, and the wallet's state when already known. */
export interface WalletRef {
  customerId: string;
  state?: WalletState | null;
}

export interface WalletState {
  currency: string;
  /** Minor units, without credit that has expired. */
  balance: number;
}

/**
 * What `adjustWallet` changed, each with its id, so that a client's normalised cache updates the
 * wallet wherever it shows it (`Customer.wallet` is the same `Wallet`) without asking again.
 */
@ObjectType({ description: 'What an adjustment changed: the entry written, the wallet and its customer.' })
export class AdjustWalletPayload {
  @Field(() => WalletEntry, { description: 'The CREDIT or DEBIT entry written.' }) entry!: WalletEntry;
  @Field(() => Wallet, {
    description: 'The wallet after the change; select `entries` here to get the new entry in them.',
  })
  wallet!: Wallet;
  @Field(() => Customer, {
    description:
      'The customer whose wallet it is. Their `wallet` is the wallet above; their metrics and timeline follow through events, shortly after.',
  })
  customer!: Customer;
}
