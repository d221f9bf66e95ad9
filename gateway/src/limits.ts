import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import {
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  isInterfaceType,
  isListType,
  isObjectType,
  type ASTNode,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import { ErrorCode } from '@cg/http';

/**
 * What the gateway accepts before it plans an operation. Every limit is checked on the operation
 * the request names, with its variables, before any subgraph is called.
 */
export interface RequestLimits {
  /** Deepest nesting of fields, root fields being depth 1; `__schema`/`__type` subtrees do not count. */
  maxDepth: number;
  /** Aliased fields in the operation, fragments counted where they are spread. */
  maxAliases: number;
  /** Static cost estimate, see {@link measureOperation}. */
  maxCost: number;
  /** Largest `first` argument (the subgraphs allow 100 too, but only after the gateway has planned and fanned out). */
  maxPageSize: number;
  /** Request body size in bytes; larger bodies get 413 PAYLOAD_TOO_LARGE without being read to the end. */
  maxBodyBytes: number;
}

export const DEFAULT_LIMITS: RequestLimits = {
  maxDepth: 12,
  // The demo-data loader sends 25 aliased mutations per request.
  maxAliases: 30,
  // The 100-row list screen of batching.test.ts costs about 11,100 and the customer detail about 530.
  maxCost: 20_000,
  maxPageSize: 100,
  maxBodyBytes: 1_000_000,
};

/** The page size a connection field is counted with when its `first` is not given (the subgraphs' default). */
export const DEFAULT_PAGE_SIZE = 20;

/**
 * How many entries each list field without a `first` argument can hold, keyed `Type.field`: the
 * cost calculation multiplies the cost of its selection by this bound, as `first` does for a
 * connection. A list that takes `first` and has an entry (the per-order lists) is capped by its
 * subgraph at that bound: `first` multiplies, but never by more than the bound. `edges` of a `…Connection` is bounded by its connection's page and needs no entry.
 * limits.unit.test.ts fails when the supergraph has a list field that is in neither case, so a new
 * list cannot be forgotten. Where a subgraph caps the list, the bound is that cap (named beside
 * it); the others are not capped by their subgraph and their bound is a planning figure, a
 * generous estimate of what one entity holds.
 */
export const LIST_BOUNDS: Readonly<Record<string, number>> = {
  // commerce-history: recordOrderSchema, at most 500 items and 20 coupon codes per order.
  'Order.items': 500,
  'Order.couponCodes': 20,
  // engagement: an EARNED entry keeps its order's distinct SKUs, at most one per item (500).
  'LoyaltyRuleSnapshot.skus': 500,
  // engagement: updateLoyaltyTiersSchema, at most 20 tiers a store.
  'LoyaltyTiers.tiers': 20,
  // engagement: a dashboard's days, at most 366 (reference-code.dashboard.ts); not capped: a
  // code's lifecycle actions (a planning figure).
  'ReferenceCodeDashboard.days': 366,
  'ReferenceCode.statusHistory': 50,
  // engagement: E9's rules and rewards (reference-code.inputs.ts): at most one reward per
  // beneficiary, 20 tiers, 20 platforms and 100 customers.
  'ReferenceCode.rewards': 2,
  'ReferenceCodeUse.rewards': 2,
  'ReferenceCodeRules.tierIds': 20,
  'ReferenceCodeRules.platforms': 20,
  'ReferenceCodeRules.customerIds': 100,
  // commerce-history: campaignIdsSchema, at most 20 campaigns per order.
  'Order.campaigns': 20,
  // Not capped by commerce-history: the campaigns a customer's orders named.
  'Customer.campaigns': 50,
  // commerce-history: ORDER_LIST_BOUNDS (order.type.ts), the largest `first` of each per-order list.
  'Order.statusHistory': 100,
  'Order.requests': 50,
  'Order.payments': 100,
  // commerce-history: importOrdersSchema, at most 1,000 rows, each with its errors (a row's
  // fields: a planning figure of 3 errors per row).
  'ImportOrdersResult.rows': 1000,
  'ImportOrdersResult.errors': 3000,
  // commerce-history: guestOrdersSchema, at most 10 order numbers.
  'Query.guestOrders': 10,
  // customer: MAX_SEGMENTS_PER_STORE, at most 50 tags (customer.inputs.ts), 20 rules per segment
  // and each rule's values (segment.rules.ts).
  'Customer.segments': 100,
  'Customer.tags': 50,
  'Segment.rules': 20,
  'SegmentRule.country': 250,
  'SegmentRule.city': 50,
  'SegmentRule.status': 3,
  'SegmentRule.tags': 50,
  'SegmentRule.tiers': 20,
  // customer: grants are made and revoked in 1–50 stores at once (access.inputs.ts), one grant each.
  'Mutation.grantAccess': 50,
  'Mutation.revokeAccess': 50,
  // Not capped by the customer subgraph: a store's roles.
  'Query.staffRoles': 50,
  // The StaffAction enum's 14 values.
  'AccessGrant.actions': 14,
  'StaffMember.actions': 14,
  'StaffRole.actions': 14,
  'StoreAccessInfo.actions': 14,
  // Not capped by consent: one record per change of the permission.
  'Permission.history': 50,
};

/** The bound of a list field missing from LIST_BOUNDS (the unit test keeps there being none): errs high. */
const UNLISTED_BOUND = 100;

const ENV_NAMES: Partial<Record<keyof RequestLimits, string>> = {
  maxDepth: 'MAX_QUERY_DEPTH',
  maxAliases: 'MAX_ALIASES',
  maxCost: 'MAX_QUERY_COST',
  maxBodyBytes: 'MAX_BODY_BYTES',
};

/** Options win over the environment (`MAX_QUERY_DEPTH`, `MAX_ALIASES`, `MAX_QUERY_COST`, `MAX_BODY_BYTES`), which wins over the defaults. */
export function requestLimits(
  options: Partial<RequestLimits> = {},
  env: NodeJS.ProcessEnv = process.env,
): RequestLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof RequestLimits)[]) {
    const envName = ENV_NAMES[key];
    let value: number;
    let source: string;
    if (options[key] !== undefined) [value, source] = [options[key], `The ${key} option`];
    else if (envName && env[envName]?.trim()) [value, source] = [Number(env[envName]), envName];
    else continue;
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new Error(
        `${source} must be a positive integer, got ${source === envName ? JSON.stringify(env[envName]) : value}`,
      );
    }
    limits[key] = value;
  }
  return limits;
}

type LimitReason = 'MAX_DEPTH' | 'MAX_ALIASES' | 'MAX_COST' | 'MAX_PAGE_SIZE';

export interface OperationMeasure {
  depth: number;
  aliases: number;
  cost: number;
  /** The largest `first` argument above the page-size ceiling, if any. */
  pageSize?: { field: string; value: number; node: ASTNode };
}

/**
 * Measures one operation in one pass over its selections, following fragment spreads and inline
 * fragments and honouring `@skip`/`@include`:
 *
 * - depth: root fields are 1, each nested selection set adds 1; `__schema`/`__type` subtrees add nothing.
 * - aliases: every aliased field, counted each time its fragment is spread.
 * - cost(selection set) = Σ cost(field); cost(field) = 1 + m × cost(its selection set) (0 for
 *   `__typename`), where m is
 *   min(`first`, maxPageSize) for a field that takes a `first` argument (a connection or a bounded
 *   list; `first` given, else its declared default, else DEFAULT_PAGE_SIZE), and no more than its
 *   LIST_BOUNDS entry if it has one (`statusHistory`, `requests`, `payments` of an order), the
 *   declared bound of LIST_BOUNDS for a list without `first` (`items`, `couponCodes`), and 1 for
 *   every other field. A connection's `edges` is bounded by
 *   its connection's page and is not multiplied again. The connection's own fields (`totalCount`,
 *   `pageInfo`) are multiplied with the rest, which keeps the formula simple and errs on the high side.
 *
 * Why not a library: graphql-depth-limit and graphql-armor's rules are validation rules, which see
 * no variable values (`first: $n`), armor's cost has no page-size multiplier, and
 * graphql-query-complexity covers cost only; three walks with three ideas of fragments and
 * introspection would disagree at the edges. Fragment results are memoised (their measures do not
 * depend on where they are spread: cost is linear in the multiplier), so a document that spreads
 * fragments exponentially is still measured in time linear in its size.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  limits: Pick<RequestLimits, 'maxPageSize'>,
): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === 'FragmentDefinition') fragments.set(definition.name.value, definition);
  }
  const memo = new Map<string, OperationMeasure>();
  let pageSize: OperationMeasure['pageSize'];

  const included = (node: { readonly directives?: readonly DirectiveNode[] }): boolean => {
    if (!node.directives?.length) return true;
    const skip = getDirectiveValues(GraphQLSkipDirective, node, variables);
    if (skip?.if === true) return false;
    const include = getDirectiveValues(GraphQLIncludeDirective, node, variables);
    return include?.if !== false;
  };

  const fieldDefinition = (
    parent: GraphQLNamedType | undefined,
    name: string,
  ): GraphQLField<unknown, unknown> | undefined => {
    if (name === '__typename') return TypeNameMetaFieldDef;
    if (name === '__schema' && parent === schema.getQueryType()) return SchemaMetaFieldDef;
    if (name === '__type' && parent === schema.getQueryType()) return TypeMetaFieldDef;
    return parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
  };

  const multiplier = (
    parent: GraphQLNamedType | undefined,
    definition: GraphQLField<unknown, unknown> | undefined,
    node: FieldNode,
  ): number => {
    if (!definition?.args.some((arg) => arg.name === 'first')) return listBound(parent, definition);
    let first: unknown;
    try {
      first = getArgumentValues(definition, node, variables).first;
    } catch {
      first = undefined; // Coercion fails again at execution, with BAD_USER_INPUT.
    }
    if (typeof first !== 'number') return DEFAULT_PAGE_SIZE;
    if (first > limits.maxPageSize && (!pageSize || first > pageSize.value)) {
      const argument = node.arguments?.find((arg) => arg.name.value === 'first');
      pageSize = { field: node.name.value, value: first, node: argument ?? node };
    }
    const cap = parent && definition ? LIST_BOUNDS[`${parent.name}.${definition.name}`] : undefined;
    return Math.min(Math.max(first, 0), limits.maxPageSize, cap ?? Infinity);
  };

  function measureSet(
    set: SelectionSetNode,
    parent: GraphQLNamedType | undefined,
    introspection: boolean,
  ): OperationMeasure {
    const total: OperationMeasure = { depth: 0, aliases: 0, cost: 0 };
    const add = (part: OperationMeasure) => {
      total.depth = Math.max(total.depth, part.depth);
      total.aliases += part.aliases;
      total.cost += part.cost;
    };
    for (const selection of set.selections) {
      if (!included(selection)) continue;
      if (selection.kind === 'Field') {
        const name = selection.name.value;
        const definition = fieldDefinition(parent, name);
        const inIntrospection = introspection || name === '__schema' || name === '__type';
        const m = multiplier(parent, definition, selection);
        const children = selection.selectionSet
          ? measureSet(selection.selectionSet, definition && getNamedType(definition.type), inIntrospection)
          : { depth: 0, aliases: 0, cost: 0 };
        add({
          depth: inIntrospection ? 0 : 1 + children.depth,
          aliases: (selection.alias ? 1 : 0) + children.aliases,
          // `__typename` is answered from the plan without fetching anything, and clients with a
          // normalised cache (Apollo Client) add it to every selection set: it costs nothing.
          cost: name === '__typename' ? 0 : 1 + m * children.cost,
        });
      } else if (selection.kind === 'InlineFragment') {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        add(measureSet(selection.selectionSet, type, introspection));
      } else {
        const name = selection.name.value;
        const key = `${name}\u0000${introspection}`;
        let part = memo.get(key);
        if (!part) {
          const fragment = fragments.get(name);
          // Validation has already refused unknown fragments and cycles.
          part = fragment
            ? measureSet(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), introspection)
            : { depth: 0, aliases: 0, cost: 0 };
          memo.set(key, part);
        }
        add(part);
      }
    }
    return total;
  }

  const root =
    operation.operation === 'mutation'
      ? schema.getMutationType()
      : operation.operation === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  const measure = measureSet(operation.selectionSet, root ?? undefined, false);
  return pageSize ? { ...measure, pageSize } : measure;
}

/**
 * The multiplier of a field without `first`: 1 for a single value, its declared bound for a list.
 * Introspection's own lists (`__schema { types }`) are not the graph's data and count once.
 */
function listBound(
  parent: GraphQLNamedType | undefined,
  definition: GraphQLField<unknown, unknown> | undefined,
): number {
  if (!parent || !definition || !isListType(getNullableType(definition.type))) return 1;
  if (parent.name.startsWith('__')) return 1;
  if (definition.name === 'edges' && parent.name.endsWith('Connection')) return 1;
  return LIST_BOUNDS[`${parent.name}.${definition.name}`] ?? UNLISTED_BOUND;
}

/**
 * The first limit the measure breaks, as an error for the whole request (HTTP 400) with `reason`,
 * `limit` and `actual`. Depth, aliases and cost are properties of the document: code
 * GRAPHQL_VALIDATION_FAILED, like any other invalid operation. A page size is an argument value:
 * code BAD_USER_INPUT with `fields`, the error the subgraphs give for the same `first`, so a client
 * sees one error for one mistake whichever side catches it.
 */
export function limitError(measure: OperationMeasure, limits: RequestLimits): GraphQLError | undefined {
  const error = (reason: LimitReason, limit: number, actual: number, message: string, node?: ASTNode) =>
    new GraphQLError(message, {
      ...(node ? { nodes: [node] } : {}),
      extensions: {
        code: ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
        reason,
        limit,
        actual,
        http: { status: 400 },
      },
    });
  if (measure.pageSize) {
    const { field, value, node } = measure.pageSize;
    const problem = `must be at most ${limits.maxPageSize}`;
    return new GraphQLError(`Invalid first of "${field}": ${problem}, got ${value}`, {
      nodes: [node],
      extensions: {
        code: ErrorCode.BAD_USER_INPUT,
        fields: [{ field: 'first', message: problem }],
        reason: 'MAX_PAGE_SIZE' satisfies LimitReason,
        limit: limits.maxPageSize,
        actual: value,
        http: { status: 400 },
      },
    });
  }
  if (measure.depth > limits.maxDepth) {
    return error(
      'MAX_DEPTH',
      limits.maxDepth,
      measure.depth,
      `Query depth ${measure.depth} exceeds the maximum of ${limits.maxDepth}`,
    );
  }
  if (measure.aliases > limits.maxAliases) {
    return error(
      'MAX_ALIASES',
      limits.maxAliases,
      measure.aliases,
      `${measure.aliases} aliases exceed the maximum of ${limits.maxAliases} per operation`,
    );
  }
  if (measure.cost > limits.maxCost) {
    return error(
      'MAX_COST',
      limits.maxCost,
      measure.cost,
      `Query cost ${measure.cost} exceeds the maximum of ${limits.maxCost} (each field costs 1; a connection multiplies its selection by its page size, a list by its bound)`,
    );
  }
  return undefined;
}

/** Variable sets remembered per document: a client sending ever new ones costs a measure each. */
const MAX_MEASURED_VARIANTS = 64;

/**
 * The measures of operations already seen, by schema, document and variables: Apollo Server keeps
 * one parsed document per query text, so the same screen sent again is measured once. A measure
 * depends on nothing else (the page-size bound is fixed per plugin); `null` stands for variables
 * that do not coerce.
 */
class MeasureCache {
  private readonly bySchema = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, OperationMeasure | null>>>();

  measure(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
    limits: RequestLimits,
  ): OperationMeasure | null {
    let byDocument = this.bySchema.get(schema);
    if (!byDocument) this.bySchema.set(schema, (byDocument = new WeakMap()));
    let byVariables = byDocument.get(document);
    if (!byVariables) byDocument.set(document, (byVariables = new Map()));
    const key = `${operation.name?.value ?? ''}\u0000${JSON.stringify(variables)}`;
    const known = byVariables.get(key);
    if (known !== undefined) return known;
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    const measure = coerced.errors ? null : measureOperation(schema, document, operation, coerced.coerced, limits);
    if (byVariables.size < MAX_MEASURED_VARIANTS) byVariables.set(key, measure);
    return measure;
  }
}

/**
 * Checks every operation once it is parsed, validated and resolved, before the gateway plans or
 * executes it. A plugin rather than a validation rule because only here are the variables known.
 */
export function requestLimitsPlugin<TContext extends BaseContext>(limits: RequestLimits): ApolloServerPlugin<TContext> {
  const measures = new MeasureCache();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const measure = measures.measure(schema, document, operation, request.variables ?? {}, limits);
          // Variables that do not coerce are not measured (`@include(if: $v)` cannot be read without
          // them): the gateway refuses them before it plans anything, every error with
          // BAD_USER_INPUT and HTTP 400 (limits.test.ts checks that no subgraph is called).
          if (!measure) return;
          const error = limitError(measure, limits);
          if (error) throw error;
        },
      };
    },
  };
}

/**
 * Refuses `__schema` and `__type` (not `__typename`) when introspection is off. Apollo Server's own
 * rule says "pass introspection: true to ApolloServer", which an operator cannot act on.
 */
export const noIntrospection: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value !== '__schema' && node.name.value !== '__type') return;
    context.reportError(
      new GraphQLError('Introspection is disabled in production; set ALLOW_INTROSPECTION=true to allow it', {
        nodes: [node],
        extensions: { code: ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED, reason: 'INTROSPECTION_DISABLED' },
      }),
    );
  },
});
