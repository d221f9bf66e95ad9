import type { Database, ScopedDatabase } from '@cg/db';
import { CustomerDirectory, type BaseContext } from '@cg/subgraph';
import { customerDirectory, type tables } from './db/schema.ts';
import { LegalDocumentService } from './legal-documents/legal-document.service.ts';
import { PermissionService } from './permissions/permission.service.ts';

export type ConsentDb = Database<typeof tables>['orm'];

export interface ConsentContext extends BaseContext {
  legalDocuments: LegalDocumentService;
  permissions: PermissionService;
}

export function createContext(base: BaseContext, db: ScopedDatabase<typeof tables>): ConsentContext {
  const legalDocuments = new LegalDocumentService(db.orm, base);
  return {
    ...base,
    legalDocuments,
    permissions: new PermissionService(
      db.orm,
      base,
      legalDocuments,
      new CustomerDirectory(db.orm, base, customerDirectory),
    ),
  };
}
