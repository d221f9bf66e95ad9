import { buildFederatedSchema } from '@cg/subgraph';
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
    resolvers: [LegalDocumentResolver, CustomerPermissionsResolver, PermissionResolver, PermissionRecordResolver],
    // Customer is only extended here through field resolvers.
    orphanedTypes: [Customer],
    references: { ...customerReference, ...legalDocumentReference, ...permissionRecordReference },
  });
}
