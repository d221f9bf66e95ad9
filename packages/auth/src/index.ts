export {
  signToken,
  verifyToken,
  principalFrom,
  bearerToken,
  InvalidTokenError,
  type Principal,
  type PrincipalKind,
} from './token.ts';
export { StaffAction, StaffRole, STAFF_ACTIONS, ROLE_ACTIONS, isStaffAction } from './actions.ts';
export { signAccess, verifyAccess, ACCESS_HEADER, STORE_HEADER, type StoreAccess } from './access.ts';
