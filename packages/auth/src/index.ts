export {
  signToken,
  issuesTokens,
  verifyToken,
  principalFrom,
  bearerToken,
  InvalidTokenError,
  type Principal,
  type PrincipalKind,
} from './token.ts';
export { StaffAction, StaffRole, STAFF_ACTIONS, ROLE_ACTIONS, isStaffAction } from './actions.ts';
export { signAccess, verifyAccess, ACCESS_HEADER, STORE_HEADER, type StoreAccess } from './access.ts';
export {
  signGatewayAssertion,
  verifyGatewayAssertion,
  GATEWAY_HEADER,
  type GatewayAssertion,
} from './gateway-assertion.ts';
export { checkKeys, KeysUnavailableError, MissingKeysError } from './keys.ts';
export { contactHash, contactHashKey } from './contact-hash.ts';
