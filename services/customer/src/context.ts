import type { Database, ScopedDatabase } from '@cg/db';
import { PersonalDataExport, type BaseContext } from '@cg/subgraph';
import type { tables } from './db/schema/index.ts';
import { StoreService } from './stores/store.service.ts';
import { CustomerService } from './customers/customer.service.ts';
import { CustomerListService } from './customers/customer-list.service.ts';
import { AddressService } from './addresses/address.service.ts';
import { MetricsService } from './metrics/metrics.service.ts';
import { WatchlistService } from './watchlist/watchlist.service.ts';
import { StatisticsService } from './statistics/statistics.service.ts';
import { SegmentService } from './segments/segment.service.ts';
import { GuestService } from './guests/guest.service.ts';
import { TimelineService } from './timeline/timeline.service.ts';
import { AuditService } from './audit/audit.service.ts';
import { AccessLookupService } from './access/access-lookup.service.ts';
import { StaffRoleService } from './access/staff-role.service.ts';
import { StaffMemberService } from './access/staff-member.service.ts';
import { AccessGrantService } from './access/access-grant.service.ts';
import { ErasureService } from './erasure/erasure.service.ts';
import { BlacklistService } from './blacklist/blacklist.service.ts';
import { personalData } from './personal-data/personal-data.registry.ts';
import { AccountService } from './accounts/account.service.ts';
import { DeletionService } from './deletion/deletion.service.ts';
import { MessageService } from './messages/message.service.ts';

export type CustomerDb = Database<typeof tables>['orm'];

export interface CustomerContext extends BaseContext {
  stores: StoreService;
  customers: CustomerService;
  customerList: CustomerListService;
  addresses: AddressService;
  metrics: MetricsService;
  watchlist: WatchlistService;
  blacklist: BlacklistService;
  statistics: StatisticsService;
  segments: SegmentService;
  guests: GuestService;
  timeline: TimelineService;
  audit: AuditService;
  accessLookup: AccessLookupService;
  staffRoles: StaffRoleService;
  staffMembers: StaffMemberService;
  accessGrants: AccessGrantService;
  erasure: ErasureService;
  personalData: PersonalDataExport;
  accounts: AccountService;
  deletion: DeletionService;
  messages: MessageService;
}

export function createContext(base: BaseContext, db: ScopedDatabase<typeof tables>): CustomerContext {
  const customers = new CustomerService(db.orm, base);
  const customerList = new CustomerListService(db.orm, base);
  return {
    ...base,
    stores: new StoreService(db.orm, base),
    customers,
    customerList,
    addresses: new AddressService(db.orm, base),
    metrics: new MetricsService(db.orm, base),
    watchlist: new WatchlistService(db.orm, base, customers),
    blacklist: new BlacklistService(db.orm, base),
    statistics: new StatisticsService(db.orm, base),
    segments: new SegmentService(db.orm, base, customerList),
    guests: new GuestService(db.orm, base),
    timeline: new TimelineService(db.orm, base),
    audit: new AuditService(db.orm, base),
    accessLookup: new AccessLookupService(db.orm, base),
    staffRoles: new StaffRoleService(db.orm, base),
    staffMembers: new StaffMemberService(db.orm, base),
    accessGrants: new AccessGrantService(db.orm, base),
    erasure: new ErasureService(db.orm, base),
    personalData: new PersonalDataExport(db.orm, base, personalData),
    accounts: new AccountService(db.orm, base),
    deletion: new DeletionService(db.orm, base),
    messages: new MessageService(db.orm, base),
  };
}
