export { signToken, verifyToken, bearerToken, InvalidTokenError, type Principal, type PrincipalKind } from './token.ts';
