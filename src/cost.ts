/**
 * Query cost as the IBM GraphQL Cost Directive specification defines it, read from the
 * schema's `@cost` and `@listSize` directives (the ones Apollo Router's demand control reads
 * too): an upper bound on the objects a response can hold.
 *
 * - A field that returns an object, interface or union costs 1, a scalar or enum 0, unless
 *   `@cost(weight:)` on the field or on its type says otherwise; each argument given adds the
 *   `@cost` of its definition.
 * - A list multiplies its own cost and everything below it by its size: the value of its
 *   slicing argument (`first` or `last`, with its default when not given: the schema's, else
 *   a connection's default page size), or its `assumedSize`.
 * - A connection's `sizedFields` (`edges`) are lists of that size; the connection itself and
 *   its other fields (`pageInfo`, `totalCount`) are counted once.
 * - Federation's `_entities` is a list of as many objects as it is given representations.
 * - Introspection lists are as long as the longest such list in this schema, which bounds them.
 */
import {
  getArgumentValues,
  getNamedType,
  getOperationAST,
  getNullableType,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  TypeInfo,
  valueFromASTUntyped,
  visit,
  visitWithTypeInfo,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
import { getComplexity, type ComplexityEstimator } from "graphql-query-complexity";
import { assumedSize } from "./bounds.js";
import { DEFAULT_PAGE_SIZE } from "./read/pagination.js";

interface ListSize {
  assumedSize?: number;
  slicingArguments: string[];
  sizedFields: string[];
}

function directive(
  node: { directives?: readonly ConstDirectiveNode[] } | null | undefined,
  name: string,
): ConstDirectiveNode | undefined {
  return node?.directives?.find((d) => d.name.value === name);
}

function stringList(node: ConstDirectiveNode, name: string): string[] {
  const value = node.arguments?.find((arg) => arg.name.value === name)?.value;
  if (value?.kind === Kind.LIST)
    return value.values.flatMap((item) => (item.kind === Kind.STRING ? [item.value] : []));
  if (value?.kind === Kind.STRING) return [value.value];
  return [];
}

function listSizeOf(field: GraphQLField<unknown, unknown>): ListSize | undefined {
  const node = directive(field.astNode, "listSize");
  if (!node) return undefined;
  return {
    assumedSize: assumedSize(node),
    slicingArguments: stringList(node, "slicingArguments"),
    sizedFields: stringList(node, "sizedFields"),
  };
}

/** `@cost(weight:)` of a definition, or `undefined` without one. */
function weightOf(node: { directives?: readonly ConstDirectiveNode[] } | null | undefined) {
  const cost = directive(node, "cost");
  const weight = cost?.arguments?.find((arg) => arg.name.value === "weight")?.value;
  return weight?.kind === Kind.STRING ? Number(weight.value) : undefined;
}

/**
 * The size of a list that slicing arguments size: the largest of those given; when none is,
 * the page size a connection's resolver takes then (`first` and `last` have no schema default,
 * so that either may be given alone).
 */
function sliced(size: ListSize, args: Record<string, unknown>): number | undefined {
  if (!size.slicingArguments.length) return undefined;
  const given = size.slicingArguments
    .map((name) => args[name])
    .filter((value): value is number => typeof value === "number");
  return given.length ? Math.max(0, ...given) : DEFAULT_PAGE_SIZE;
}

/**
 * The longest list of each introspection field in `schema`: what `__schema { types { fields
 * ... } }` can return is fixed by the schema itself.
 */
function introspectionSizes(schema: GraphQLSchema): Map<string, number> {
  const types = Object.values(schema.getTypeMap());
  const longest = (lists: readonly (readonly unknown[])[]) =>
    Math.max(1, ...lists.map((l) => l.length));
  const withFields = types.filter((t) => isObjectType(t) || isInterfaceType(t));
  const fields = withFields.flatMap((t) => Object.values(t.getFields()));
  const directives = schema.getDirectives();
  return new Map([
    ["__Schema.types", types.length],
    ["__Schema.directives", directives.length],
    ["__Type.fields", longest(withFields.map((t) => Object.values(t.getFields())))],
    [
      "__Type.inputFields",
      longest(types.filter(isInputObjectType).map((t) => Object.values(t.getFields()))),
    ],
    ["__Type.interfaces", longest(withFields.map((t) => t.getInterfaces()))],
    [
      "__Type.possibleTypes",
      longest(types.filter(isAbstractType).map((t) => schema.getPossibleTypes(t))),
    ],
    ["__Type.enumValues", longest(types.filter(isEnumType).map((t) => t.getValues()))],
    ["__Field.args", longest(fields.map((f) => f.args))],
    ["__Directive.args", longest(directives.map((d) => d.args))],
    ["__Directive.locations", longest(directives.map((d) => d.locations))],
  ]);
}
const introspection = new WeakMap<GraphQLSchema, Map<string, number>>();

/**
 * The size of every `sizedFields` list of the operation, keyed by its node: the slicing
 * argument of the connection above it. A fragment used under connections of several sizes
 * gets the largest.
 */
function sizedFieldSizes(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
): Map<FieldNode, number> {
  const sizes = new Map<FieldNode, number>();
  const fragments = new Map(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
    ),
  );
  const mark = (selections: SelectionSetNode | undefined, names: string[], size: number) => {
    const seen = new Set<string>();
    const walk = (set: SelectionSetNode | undefined) => {
      for (const selection of set?.selections ?? []) {
        if (selection.kind === Kind.FIELD) {
          if (names.includes(selection.name.value))
            sizes.set(selection, Math.max(size, sizes.get(selection) ?? 0));
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          walk(selection.selectionSet);
        } else if (!seen.has(selection.name.value)) {
          seen.add(selection.name.value);
          walk(fragments.get(selection.name.value)?.selectionSet);
        }
      }
    };
    walk(selections);
  };
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const field = typeInfo.getFieldDef();
        const size = field && listSizeOf(field);
        if (!field || !size?.sizedFields.length) return;
        let args: Record<string, unknown>;
        try {
          args = getArgumentValues(field, node, variables);
        } catch {
          return; // Arguments that do not fit: validation or execution refuses them.
        }
        const n = sliced(size, args) ?? size.assumedSize;
        if (n !== undefined) mark(node.selectionSet, size.sizedFields, n);
      },
    }),
  );
  return sizes;
}

function directiveEstimator(
  schema: GraphQLSchema,
  sized: Map<FieldNode, number>,
): ComplexityEstimator {
  let introspected = introspection.get(schema);
  if (!introspected) introspection.set(schema, (introspected = introspectionSizes(schema)));
  const sizesOfIntrospection = introspected;
  return ({ type, field, node, args, childComplexity }) => {
    const returned = getNamedType(field.type);
    const own =
      weightOf(field.astNode) ?? weightOf(returned.astNode) ?? (isCompositeType(returned) ? 1 : 0);
    const argumentWeights = field.args.reduce(
      (sum, arg) => sum + (args[arg.name] !== undefined ? (weightOf(arg.astNode) ?? 0) : 0),
      0,
    );
    const cost = own + argumentWeights + childComplexity;
    if (!isListType(getNullableType(field.type))) return cost;
    const size = listSizeOf(field);
    let items: number | undefined;
    if (size?.slicingArguments.length && !size.sizedFields.length) items = sliced(size, args);
    items ??= size?.assumedSize ?? sized.get(node);
    if (items === undefined && field.name === "_entities" && Array.isArray(args.representations))
      items = args.representations.length;
    if (items === undefined && type.name.startsWith("__"))
      items = sizesOfIntrospection.get(`${type.name}.${field.name}`);
    if (items === undefined)
      throw new Error(`${type.name}.${field.name} is a list without @listSize in the schema`);
    return items * cost;
  };
}

/** Fields the estimate walks at most; the article page walks about 150. */
export const MAX_COST_NODES = 10_000;

/**
 * The request's variables with the operation's defaults filled in for those it leaves out,
 * as execution will see them: `query($n: Int = 100)` sent without `n` pages by 100, so it is
 * priced and checked at 100, never at the default of an absent argument.
 */
export function variablesWithDefaults(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
): Record<string, unknown> {
  const operation = getOperationAST(document, operationName);
  let filled = variables;
  for (const definition of operation?.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (definition.defaultValue === undefined || name in variables) continue;
    if (filled === variables) filled = { ...variables };
    filled[name] = valueFromASTUntyped(definition.defaultValue);
  }
  return filled;
}

/** The cost of an operation, as the module's comment describes. */
export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  given: Record<string, unknown>,
  operationName?: string,
): number {
  const variables = variablesWithDefaults(document, operationName, given);
  return getComplexity({
    schema,
    query: document,
    variables,
    operationName,
    // Fields walked, fragments expanded at every spread: a document that spreads fragments
    // into more is refused (see costLimitPlugin) rather than walked at exponential cost.
    maxQueryNodes: MAX_COST_NODES,
    estimators: [directiveEstimator(schema, sizedFieldSizes(schema, document, variables))],
  });
}
