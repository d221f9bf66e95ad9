import {
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  OperationTypeNode,
  getArgumentValues,
  getDirectiveValues,
  getOperationAST,
  getVariableValues,
  print,
  visit,
  type DirectiveNode,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type FormattedExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { SUMMARY_CHANNEL, type Emission } from './fan-out.ts';
import { ErrorCode } from '@cg/http';

/**
 * A subscription field the gateway serves: which channel announces changes, and which query field
 * resolves the entity the subscriber follows. `customerSummaryUpdated(customerId: X) { … }` is
 * resolved as `customer(id: X) { … }`.
 */
interface LiveField {
  channel: string;
  argument: string;
  queryField: string;
  queryArgument: string;
  what: string;
}

const LIVE_FIELDS: Record<string, LiveField> = {
  customerSummaryUpdated: {
    channel: SUMMARY_CHANNEL,
    argument: 'customerId',
    queryField: 'customer',
    queryArgument: 'id',
    what: 'Customer',
  },
};

interface LivePlan {
  field: LiveField;
  entityId: string;
  responseKey: string;
  operationName: string | undefined;
  /** The subscriber's selection as a query on the entity, printed once so that the gateway caches its plan. */
  query: string;
}

/**
 * Turns `subscription S($id: ID!) { live: customerSummaryUpdated(customerId: $id) { …selection } }`
 * into `query S($id: ID!) { live: customer(id: $id) { …selection } }` with the fragments and
 * variables the selection uses. The response key is kept, so the query's data is the emission.
 */
export function planLiveQuery(args: ExecutionArgs): LivePlan | ExecutionResult {
  const { schema, document } = args;
  const operation = getOperationAST(document, args.operationName);
  const subscriptionType = schema.getSubscriptionType();
  if (!operation || !subscriptionType) return { errors: [new GraphQLError('Unable to identify the subscription')] };
  const variables = getVariableValues(schema, operation.variableDefinitions ?? [], args.variableValues ?? {});
  if (variables.errors) return { errors: variables.errors };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }

  // Validation allows one root field (several nodes of one response key are merged), maybe inside fragments.
  const nodes: FieldNode[] = [];
  const collect = (set: SelectionSetNode, seen: Set<string>) => {
    for (const selection of set.selections) {
      if (!included(selection, variables.coerced)) continue;
      if (selection.kind === Kind.FIELD) nodes.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet, seen);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet, seen);
      }
    }
  };
  collect(operation.selectionSet, new Set());
  const first = nodes[0];
  if (!first) return { data: {} };
  const field = LIVE_FIELDS[first.name.value];
  const definition = subscriptionType.getFields()[first.name.value];
  if (!field || !definition) {
    return {
      errors: [
        new GraphQLError(`The gateway does not serve the subscription ${first.name.value}`, {
          nodes: [first],
          extensions: { code: 'BAD_REQUEST' },
        }),
      ],
    };
  }
  const argument = first.arguments?.find((arg) => arg.name.value === field.argument);
  const entityId = String(getArgumentValues(definition, first, variables.coerced)[field.argument]);
  const responseKey = first.alias?.value ?? first.name.value;

  const selectionSet: SelectionSetNode = {
    kind: Kind.SELECTION_SET,
    selections: nodes.flatMap((node) => node.selectionSet?.selections ?? []),
  };
  const entityField: FieldNode = {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: responseKey },
    name: { kind: Kind.NAME, value: field.queryField },
    arguments: argument
      ? [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: field.queryArgument }, value: argument.value }]
      : [],
    directives: [],
    selectionSet,
  };

  // Only the fragments the selection reaches (a fragment on Subscription would be unused) …
  const used = new Map<string, FragmentDefinitionNode>();
  const reach = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !used.has(fragment.name.value)) {
          used.set(fragment.name.value, fragment);
          reach(fragment.selectionSet);
        }
      } else if (selection.selectionSet) reach(selection.selectionSet);
    }
  };
  reach(selectionSet);
  // … and only the variables that they and the argument use.
  const query: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: OperationTypeNode.QUERY,
    ...(operation.name ? { name: operation.name } : {}),
    directives: [],
    selectionSet: { kind: Kind.SELECTION_SET, selections: [entityField] },
  };
  const queryDocument: DocumentNode = { kind: Kind.DOCUMENT, definitions: [query, ...used.values()] };
  const variableNames = new Set<string>();
  visit(queryDocument, { Variable: (node) => void variableNames.add(node.name.value) });
  const variableDefinitions = (operation.variableDefinitions ?? []).filter((definition) =>
    variableNames.has(definition.variable.name.value),
  );
  const withVariables: DocumentNode = {
    ...queryDocument,
    definitions: [{ ...query, variableDefinitions }, ...used.values()],
  };

  return { field, entityId, responseKey, operationName: operation.name?.value, query: print(withVariables) };
}

function included(
  node: SelectionNode | { readonly directives?: readonly DirectiveNode[] },
  variables: Record<string, unknown>,
): boolean {
  if (!node.directives?.length) return true;
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

/** The query's response as the subscription's next result. */
export function emission(plan: LivePlan, response: FormattedExecutionResult): Emission {
  const entity = (response.data as Record<string, unknown> | null | undefined)?.[plan.responseKey];
  const errors = (response.errors ?? []).map(toGraphQLError);
  const codes = new Set(errors.map((error) => error.extensions.code));
  if (entity == null && errors.length === 0) {
    errors.push(
      new GraphQLError(`${plan.field.what} ${plan.entityId} was not found`, {
        path: [plan.responseKey],
        extensions: { code: ErrorCode.NOT_FOUND },
      }),
    );
  }
  return {
    result: { data: entity == null ? null : { [plan.responseKey]: entity }, ...(errors.length ? { errors } : {}) },
    final:
      (entity == null && (codes.size === 0 || codes.has(ErrorCode.NOT_FOUND) || codes.has(ErrorCode.BAD_USER_INPUT))) ||
      codes.has(ErrorCode.UNAUTHENTICATED) ||
      codes.has(ErrorCode.FORBIDDEN),
  };
}

/** graphql-ws serialises errors with `toJSON()`: Apollo's formatted errors become GraphQLErrors again. */
export function toGraphQLError(error: GraphQLFormattedError): GraphQLError {
  // Locations would point into the query the gateway wrote, not into the subscriber's document.
  return new GraphQLError(error.message, { path: error.path, extensions: error.extensions });
}
