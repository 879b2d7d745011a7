/**
 * Accord as an Apollo Federation 2 subgraph (`ACCORD_FEDERATION=true`). The schema is the same
 * schema.graphql; the federation directives are added to its syntax tree when the schema is
 * built, so the file stays plain GraphQL for the standalone server and the clients' contract.
 *
 * - Every object type that implements `Node` is an entity keyed by its global `id`: another
 *   subgraph can declare `type Actor @key(fields: "id")` and add fields to it, and the router
 *   fetches Accord's own fields through `_entities` with the id it holds.
 * - `Node` stays a plain interface and `Query.node` stays Accord's alone (not `@shareable`):
 *   only Accord can tell what its ids name, so the router must never send `node(id)` for an
 *   Accord id to another subgraph. A supergraph keeps one `Query.node`, this one.
 * - `PageInfo` is `@shareable`: Relay-style subgraphs declare the same type, and federation
 *   refuses a value type that two subgraphs resolve unless both mark it shareable.
 * - `Date`, `DateTime`, `JSON` and `Mutation` need nothing: scalars of the same name merge,
 *   and each subgraph contributes its own mutation fields.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/index.js";
import {
  Kind,
  OperationTypeNode,
  parse,
  visit,
  type ConstDirectiveNode,
  type DocumentNode,
  type GraphQLSchema,
  type ObjectTypeDefinitionNode,
  type ObjectValueNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import type { Context } from "./context.js";
import { badInput } from "./errors.js";
import type { Resolvers } from "./generated/graphql.js";
import { fromGlobalId } from "./ids.js";
import { NODE_TYPES, type NodeType } from "./registry.js";

/**
 * The lowest Federation 2 version with what Accord uses: 2.9 has the cost directives (`@cost`,
 * `@listSize`) as its own, so the router's demand control reads Accord's list bounds.
 */
export const FEDERATION_SPEC = "https://specs.apollo.dev/federation/v2.9";

/** Value types that other subgraphs may declare too. */
const SHAREABLE_TYPES = new Set(["PageInfo"]);

const LINK = parse(
  `extend schema @link(url: "${FEDERATION_SPEC}", import: ["@key", "@shareable", "@cost", "@listSize"])`,
);

/** The directives that federation defines itself once imported: the SDL's own go. */
const FEDERATION_DEFINED = new Set(["cost", "listSize"]);

function directiveFrom(sdl: string): ConstDirectiveNode {
  const [definition] = parse(sdl).definitions;
  const directive = (definition as ObjectTypeDefinitionNode).directives?.[0];
  if (!directive) throw new Error(`no directive in ${sdl}`);
  return directive;
}
const KEY = directiveFrom(`type T @key(fields: "id")`);
const SHAREABLE = directiveFrom(`type T @shareable`);

const implementsNode = (type: ObjectTypeDefinitionNode) =>
  type.interfaces?.some((named) => named.name.value === "Node") ?? false;

/** The entity types of an SDL: its object types that implement `Node`. */
export function entityTypes(typeDefs: string): string[] {
  return parse(typeDefs)
    .definitions.filter((d) => d.kind === Kind.OBJECT_TYPE_DEFINITION)
    .filter(implementsNode)
    .map((type) => type.name.value);
}

/**
 * The SDL with `@link`, `@key` on every `Node` type and `@shareable` where needed. `@cost` and
 * `@listSize` become federation's: their definitions are dropped, and a `@cost` weight, a
 * string in the IBM specification, is federation's `Int`.
 */
export function federatedTypeDefs(typeDefs: string): DocumentNode {
  const withDirectives = visit(parse(typeDefs), {
    DirectiveDefinition(definition) {
      return FEDERATION_DEFINED.has(definition.name.value) ? null : definition;
    },
    Directive(directive) {
      if (directive.name.value !== "cost") return directive;
      return {
        ...directive,
        arguments: directive.arguments?.map((arg) =>
          arg.name.value === "weight" && arg.value.kind === Kind.STRING
            ? {
                ...arg,
                value: { kind: Kind.INT, value: String(Math.round(Number(arg.value.value))) },
              }
            : arg,
        ),
      };
    },
    ObjectTypeDefinition(type) {
      const added = [
        ...(implementsNode(type) ? [KEY] : []),
        ...(SHAREABLE_TYPES.has(type.name.value) ? [SHAREABLE] : []),
      ];
      return added.length ? { ...type, directives: [...(type.directives ?? []), ...added] } : type;
    },
  });
  return { ...withDirectives, definitions: [...LINK.definitions, ...withDirectives.definitions] };
}

/**
 * The row a reference `{ __typename, id }` names, through the request's loaders so that a
 * batch of references costs one statement per type; `null` when the id is missing, malformed,
 * of another type, or names nothing.
 */
function resolveReference(type: NodeType) {
  return (reference: { id?: unknown }, { loaders }: Context) => {
    const ref = typeof reference.id === "string" ? fromGlobalId(reference.id) : null;
    return ref && ref.type === type ? loaders.byId[type].load(ref.key) : null;
  };
}

const isNodeType = (name: string): name is NodeType =>
  (NODE_TYPES as readonly string[]).includes(name);

export function subgraphSchema(typeDefs: string, resolvers: Resolvers): GraphQLSchema {
  const references = entityTypes(typeDefs).map((type) => {
    // An entity without a reference resolver would hand the bare reference to its fields.
    if (!isNodeType(type))
      throw new Error(`${type} implements Node but src/ids.ts has no ids for it`);
    return [type, { ...resolvers[type], __resolveReference: resolveReference(type) }];
  });
  const map = { ...resolvers, ...Object.fromEntries(references) } as GraphQLResolverMap<Context>;
  return buildSubgraphSchema([{ typeDefs: federatedTypeDefs(typeDefs), resolvers: map }]);
}

/** The `__typename` of a representation, given as a literal or as a variable's value. */
function typenameOf(value: unknown): unknown {
  if (value && typeof value === "object" && "kind" in value && value.kind === Kind.OBJECT) {
    const field = (value as ObjectValueNode).fields.find((f) => f.name.value === "__typename");
    return field?.value.kind === Kind.STRING ? field.value.value : undefined;
  }
  return value && typeof value === "object"
    ? (value as { __typename?: unknown }).__typename
    : undefined;
}

/**
 * The representations the operation's `_entities` fields are given: as a list literal, or as
 * the list in a variable (a single value counts as one, as GraphQL coerces it to a list of
 * one).
 */
function representationsOf(
  operation: OperationDefinitionNode,
  fragments: Map<string, SelectionSetNode>,
  variables: Record<string, unknown>,
): unknown[] {
  const found: unknown[] = [];
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        if (!seen.has(selection.name.value)) {
          seen.add(selection.name.value);
          walk(fragments.get(selection.name.value));
        }
      } else if (selection.name.value === "_entities") {
        const value = selection.arguments?.find((a) => a.name.value === "representations")?.value;
        if (value?.kind === Kind.LIST) {
          // An item may itself be a variable (`[$first, $second]`): its value is the item.
          for (const item of value.values)
            found.push(item.kind === Kind.VARIABLE ? variables[item.name.value] : item);
        } else if (value?.kind === Kind.VARIABLE) {
          const given = variables[value.name.value];
          if (Array.isArray(given)) found.push(...(given as unknown[]));
          else if (given != null) found.push(given);
        } else if (value) found.push(value);
      }
    }
  };
  walk(operation.selectionSet);
  return found;
}

/**
 * Refuses an operation whose `_entities` fields are given more than `max` representations in
 * all, before any of them is resolved: a router sends a batch per subgraph fetch, and this is
 * what one fetch may ask of Accord.
 */
export function representationsLimitPlugin(max: number): ApolloServerPlugin {
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation({ operation, document, request }) {
          if (operation?.operation !== OperationTypeNode.QUERY) return Promise.resolve();
          const fragments = new Map(
            document.definitions.flatMap((d) =>
              d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [],
            ),
          );
          const representations = representationsOf(operation, fragments, request.variables ?? {});
          if (representations.length > max) {
            throw badInput(
              "representations",
              `at most ${max} per request, got ${representations.length}`,
              { max, http: { status: 400 } },
            );
          }
          // A type the subgraph does not have, or none at all, would reach @apollo/subgraph as
          // an internal error; it is the caller's mistake.
          const unknown = representations.findIndex((r) => {
            const typename = typenameOf(r);
            return typeof typename !== "string" || !isNodeType(typename);
          });
          if (unknown >= 0) {
            throw badInput(
              `representations[${unknown}].__typename`,
              `must be one of ${NODE_TYPES.join(", ")}`,
              { http: { status: 400 } },
            );
          }
          return Promise.resolve();
        },
      }),
  };
}
