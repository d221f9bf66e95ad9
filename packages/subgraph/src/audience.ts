import { getMetadataStorage, Directive, UseMiddleware } from 'type-graphql';
import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  type ConstDirectiveNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { Caller, staffOnly } from './authorization.ts';

/**
 * Who sees a field of a type that customer and guest tokens can reach, named in the schema with a
 * federation `@tag`, so that the composed supergraph says it too:
 * - `shopper`: the customer or guest whose record it is sees it (their order's items, totals and
 *   status; their own profile and consents), staff as their actions allow;
 * - `internal`: staff only (notes, staff ids, internal reasons, IP addresses, audit data).
 */
const Audience = { SHOPPER: 'shopper', INTERNAL: 'internal' } as const;
type Audience = (typeof Audience)[keyof typeof Audience];

const tagOf = (audience: Audience) => `@tag(name: "${audience}")`;

type FieldDecorator = PropertyDecorator & MethodDecorator;

/** A field the customer or guest whose record it is may see. */
export function Shopper(): FieldDecorator {
  return Directive(tagOf(Audience.SHOPPER));
}

/**
 * A field customers and guests must never see: they get `empty` instead (null, [], false), so their
 * own records still render. A field resolver that staff alone may call (`@Authorized` without a
 * `Caller` marker) is declared internal as well; its authorization refuses others first.
 */
export function Internal<T>(empty: T): FieldDecorator {
  const decorators = [Directive(tagOf(Audience.INTERNAL)), UseMiddleware(staffOnly(empty))];
  return (prototype: object, propertyKey: string | symbol, descriptor?: PropertyDescriptor) => {
    for (const decorate of decorators)
      if (descriptor) decorate(prototype, propertyKey, descriptor);
      else decorate(prototype, propertyKey);
  };
}

/**
 * A type only staff ever reach (the guest list, C13): it needs no audience on its fields, customers
 * and guests cannot resolve it as an entity, and a `shopper` field returning it fails the build.
 */
export function InternalType(): ClassDecorator {
  return (target) => Directive(tagOf(Audience.INTERNAL))(target);
}

const tagged = (directives: readonly ConstDirectiveNode[] | undefined): string | undefined => {
  for (const directive of directives ?? []) {
    if (directive.name.value !== 'tag') continue;
    const name = directive.arguments?.find((argument) => argument.name.value === 'name')?.value;
    if (name?.kind === 'StringValue' && Object.values<string>(Audience).includes(name.value)) return name.value;
  }
  return undefined;
};

/** Whether a type of this schema is declared with `@InternalType()`. */
export function isInternalType(type: GraphQLNamedType | undefined | null): boolean {
  return isObjectType(type) && tagged(type.astNode?.directives) === Audience.INTERNAL;
}

const ROOTS = new Set(['Query', 'Mutation', 'Subscription']);

function audienceOf(field: GraphQLField<unknown, unknown>): string | undefined {
  const directives = field.astNode?.directives;
  if (directives?.some((directive) => directive.name.value === 'external')) return 'external';
  return tagged(directives);
}

const isEntity = (type: GraphQLNamedType) =>
  isObjectType(type) && (type.astNode?.directives ?? []).some((directive) => directive.name.value === 'key');

/**
 * A field nobody declared an audience for would be served to every customer and guest whose
 * records reach it, internal or not; building the schema fails instead. Reachable are the return
 * types of root fields open to `Caller.CUSTOMER` or `Caller.GUEST`, every entity (the gateway may
 * enter this subgraph through any of them) and, from those, whatever their `shopper` fields return.
 */
export function assertFieldAudiences(
  schema: GraphQLSchema,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers: readonly Function[],
): void {
  const storage = getMetadataStorage();
  const openRoots = new Set(
    [...storage.queries, ...storage.mutations, ...storage.subscriptions]
      .filter((root) =>
        resolvers.some((resolver) => root.target === resolver || resolver.prototype instanceof root.target),
      )
      .filter((root) => root.roles?.some((role) => role === Caller.CUSTOMER || role === Caller.GUEST))
      .map((root) => root.schemaName),
  );
  const queue: GraphQLNamedType[] = [];
  for (const name of ROOTS) {
    const root = schema.getType(name);
    if (!isObjectType(root)) continue;
    for (const field of Object.values(root.getFields()))
      if (openRoots.has(field.name)) queue.push(getNamedType(field.type));
  }
  queue.push(...Object.values(schema.getTypeMap()).filter((type) => isEntity(type) && !isInternalType(type)));
  const seen = new Set<string>();
  const undeclared: string[] = [];
  const leaks: string[] = [];
  while (queue.length) {
    const type = queue.pop()!;
    if (seen.has(type.name)) continue;
    seen.add(type.name);
    if (isUnionType(type)) queue.push(...type.getTypes());
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const audience = audienceOf(field);
      if (audience === undefined) undeclared.push(`${type.name}.${field.name}`);
      if (audience !== Audience.SHOPPER) continue;
      const target = getNamedType(field.type);
      if (isInternalType(target)) leaks.push(`${type.name}.${field.name} → ${target.name}`);
      else queue.push(target);
    }
  }
  if (undeclared.length)
    throw new Error(
      `Fields that customer or guest tokens reach without @Shopper() or @Internal(…): ${undeclared.join(', ')}`,
    );
  if (leaks.length) throw new Error(`Shopper fields returning a staff-only type: ${leaks.join(', ')}`);
}
