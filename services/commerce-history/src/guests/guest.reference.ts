import type { GuestRef } from './guest.type.ts';

/** No lookup: the representation carries the contact that `Guest.orders` requires. */
export const guestReference = {
  Guest: {
    __resolveReference: (reference: GuestRef): GuestRef => reference,
  },
};
