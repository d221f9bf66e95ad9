import { buildFederatedSchema } from '@cg/subgraph';
import { CustomerDataExportResolver } from './personal-data/customer-data-export.resolver.ts';
import { CustomerDataExport } from './personal-data/customer-data-export.type.ts';
import { customerDataExportReference } from './personal-data/customer-data-export.reference.ts';
import { Customer } from './customers/customer.type.ts';
import { customerReference } from './customers/customer.reference.ts';
import { LegalDocumentResolver } from './legal-documents/legal-document.resolver.ts';
import { legalDocumentReference } from './legal-documents/legal-document.reference.ts';
import {
  CustomerPermissionsResolver,
  PermissionRecordResolver,
  PermissionResolver,
} from './permissions/permission.resolver.ts';
import { permissionRecordReference } from './permissions/permission.reference.ts';

export function buildSchema() {
  return buildFederatedSchema({
    resolvers: [
      CustomerDataExportResolver,
      LegalDocumentResolver,
      CustomerPermissionsResolver,
      PermissionResolver,
      PermissionRecordResolver,
    ],
    // Customer is only extended here through field resolvers.
    orphanedTypes: [CustomerDataExport, Customer],
    references: {
      ...customerDataExportReference,
      ...customerReference,
      ...legalDocumentReference,
      ...permissionRecordReference,
    },
  });
}
