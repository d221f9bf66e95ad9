/**
 * What a staff user may do in a store (T6, X4). Roles and shared-access grants are sets of these;
 * every root field of the graph names the actions it needs (`@Authorized` in the subgraphs).
 */
export const StaffAction = {
  CUSTOMERS_READ: 'CUSTOMERS_READ',
  CUSTOMERS_EDIT: 'CUSTOMERS_EDIT',
  /** Email, phone, birthday and addresses; without it they come back masked. */
  PERSONAL_DATA_READ: 'PERSONAL_DATA_READ',
  CUSTOMERS_EXPORT: 'CUSTOMERS_EXPORT',
  CUSTOMERS_ERASE: 'CUSTOMERS_ERASE',
  CUSTOMERS_BLOCK: 'CUSTOMERS_BLOCK',
  /** Record orders, payments, cancellation and return requests (sales platforms, POS). */
  ORDERS_MANAGE: 'ORDERS_MANAGE',
  WALLET_ADJUST: 'WALLET_ADJUST',
  LOYALTY_ADJUST: 'LOYALTY_ADJUST',
  CONSENTS_MANAGE: 'CONSENTS_MANAGE',
  REFERENCE_CODES_MANAGE: 'REFERENCE_CODES_MANAGE',
  CAMPAIGNS_MANAGE: 'CAMPAIGNS_MANAGE',
  AUDIT_READ: 'AUDIT_READ',
  ACCESS_MANAGE: 'ACCESS_MANAGE',
} as const;
export type StaffAction = (typeof StaffAction)[keyof typeof StaffAction];

export const STAFF_ACTIONS: readonly StaffAction[] = Object.values(StaffAction);

export function isStaffAction(value: string): value is StaffAction {
  return (STAFF_ACTIONS as readonly string[]).includes(value);
}

/** The built-in roles; a store adds its own as custom action sets. */
export const StaffRole = { OWNER: 'OWNER', MANAGER: 'MANAGER', VIEWER: 'VIEWER' } as const;
export type StaffRole = (typeof StaffRole)[keyof typeof StaffRole];

export const ROLE_ACTIONS: Record<StaffRole, readonly StaffAction[]> = {
  OWNER: STAFF_ACTIONS,
  // A manager runs the store's customers but cannot change who else may.
  MANAGER: STAFF_ACTIONS.filter((action) => action !== StaffAction.ACCESS_MANAGE),
  // Read-only, and personal data stays masked unless a custom set adds it.
  VIEWER: [StaffAction.CUSTOMERS_READ],
};
