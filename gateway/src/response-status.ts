import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import Negotiator from 'negotiator';

/** Errors of the request as a whole: it was not executed. */
const REQUEST_ERRORS = new Set<unknown>([
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  // Variables that do not coerce (Apollo's own, before execution).
  ApolloServerErrorCode.BAD_USER_INPUT,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
]);

const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';

/** Whether Apollo will answer `accept` with `application/json` (as its own negotiation picks). */
function answersPlainJson(accept: string | undefined): boolean {
  if (!accept) return true;
  const preferred = new Negotiator({ headers: { accept } }).mediaType([
    'application/json',
    GRAPHQL_RESPONSE_JSON,
    'application/json; callbackSpec=1.0',
  ]);
  return preferred !== undefined && preferred !== GRAPHQL_RESPONSE_JSON;
}

/**
 * GraphQL over HTTP: a request that fails to parse, validate (the gateway's limits included) or
 * coerce its variables gets 400 when answered as `application/graphql-response+json`, but 200 as
 * `application/json`, where a 4xx could be an intermediary's and clients read the body instead.
 * Apollo Server answers 400 for both.
 */
export function requestErrorStatusPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response }) {
          if (response.http.status !== 400 || response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (data !== undefined || !errors?.length) return;
          if (!errors.every((error) => REQUEST_ERRORS.has(error.extensions?.code))) return;
          if (answersPlainJson(request.http?.headers.get('accept'))) response.http.status = 200;
        },
      };
    },
  };
}
