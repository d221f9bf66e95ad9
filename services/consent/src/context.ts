import type { Database, ScopedDatabase } from '@cg/db';
import { CustomerDirectory, PersonalDataExport, type BaseContext } from '@cg/subgraph';
import { customerDirectory, type tables } from './db/schema.ts';
import { personalData } from './personal-data/personal-data.registry.ts';
import { LegalDocumentService } from './legal-documents/legal-document.service.ts';
import { PermissionService } from './permissions/permission.service.ts';

export type ConsentDb = Database<typeof tables>['orm'];

export interface ConsentContext extends BaseContext {
  personalData: PersonalDataExport;
  legalDocuments: LegalDocumentService;
  permissions: PermissionService;
}

export function createContext(base: BaseContext, db: ScopedDatabase<typeof tables>): ConsentContext {
  const legalDocuments = new LegalDocumentService(db.orm, base);
  return {
    ...base,
    personalData: new PersonalDataExport(db.orm, base, personalData),
    legalDocuments,
    permissions: new PermissionService(
      db.orm,
      base,
      legalDocuments,
      new CustomerDirectory(db.orm, base, customerDirectory),
    ),
  };
}
