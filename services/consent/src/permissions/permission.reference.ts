import type { ConsentContext } from '../context.ts';

export const permissionRecordReference = {
  PermissionRecord: {
    __resolveReference: (reference: { id: string }, ctx: ConsentContext) => ctx.permissions.load(reference.id),
  },
};
