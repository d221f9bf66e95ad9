/** Columns the audit log leaves out of staff roles and members: bookkeeping. */
export const ACCESS_AUDIT_OMIT = ['storeId', 'createdAt', 'updatedAt'];
