import { buildFederatedSchema } from '@cg/subgraph';
import { StoreResolver } from './stores/store.resolver.ts';
import { storeReference } from './stores/store.reference.ts';
import { CustomerResolver } from './customers/customer.resolver.ts';
import { customerReference } from './customers/customer.reference.ts';
import { AddressResolver, CustomerAddressesResolver } from './addresses/address.resolver.ts';
import { CustomerMetricsResolver } from './metrics/metrics.resolver.ts';
import { CustomerSummaryResolver } from './summary/summary.resolver.ts';
import { WatchlistResolver } from './watchlist/watchlist.resolver.ts';
import { BlacklistResolver } from './blacklist/blacklist.resolver.ts';
import { StatisticsResolver } from './statistics/statistics.resolver.ts';
import { CustomerSegmentsResolver, SegmentResolver } from './segments/segment.resolver.ts';
import { GuestResolver, guestReference } from './guests/guest.resolver.ts';
import { CustomerTimelineResolver, TimelineEntryResolver } from './timeline/timeline.resolver.ts';
import { AuditResolver, CustomerAuditResolver } from './audit/audit.resolver.ts';
import { AccessResolver } from './access/access.resolver.ts';
import { ErasureResolver } from './erasure/erasure.resolver.ts';
import {
  CustomerDataExportFieldResolver,
  CustomerDataExportResolver,
} from './personal-data/customer-data-export.resolver.ts';
import { AccountResolver } from './accounts/account.resolver.ts';
import { DeletionResolver } from './deletion/deletion.resolver.ts';
import { CustomerMessagesResolver, MessageResolver } from './messages/message.resolver.ts';

export function buildSchema() {
  return buildFederatedSchema({
    resolvers: [
      StoreResolver,
      CustomerResolver,
      CustomerAddressesResolver,
      AddressResolver,
      CustomerMetricsResolver,
      CustomerSummaryResolver,
      WatchlistResolver,
      BlacklistResolver,
      StatisticsResolver,
      SegmentResolver,
      CustomerSegmentsResolver,
      GuestResolver,
      CustomerTimelineResolver,
      TimelineEntryResolver,
      AuditResolver,
      CustomerAuditResolver,
      AccessResolver,
      ErasureResolver,
      CustomerDataExportFieldResolver,
      CustomerDataExportResolver,
      AccountResolver,
      DeletionResolver,
      MessageResolver,
      CustomerMessagesResolver,
    ],
    references: { ...storeReference, ...customerReference, ...guestReference },
  });
}
