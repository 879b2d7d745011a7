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
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/index.js";
import {
  Kind,
  parse,
  visit,
  type ConstDirectiveNode,
  type DocumentNode,
  type GraphQLSchema,
  type ObjectTypeDefinitionNode,
} from "graphql";
import type { Context } from "./context.js";
import type { Resolvers } from "./generated/graphql.js";
import { fromGlobalId, NODE_TYPES, type NodeType } from "./ids.js";
import { nodeLoader } from "./loaders.js";

/** The lowest Federation 2 version with what Accord uses: any Federation 2 router takes it. */
export const FEDERATION_SPEC = "https://specs.apollo.dev/federation/v2.0";

/** Value types that other subgraphs may declare too. */
const SHAREABLE_TYPES = new Set(["PageInfo"]);

const LINK = parse(
  `extend schema @link(url: "${FEDERATION_SPEC}", import: ["@key", "@shareable"])`,
);

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

/** The SDL with `@link`, `@key` on every `Node` type and `@shareable` where needed. */
export function federatedTypeDefs(typeDefs: string): DocumentNode {
  const withDirectives = visit(parse(typeDefs), {
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
    return ref && ref.type === type ? nodeLoader(loaders, type).load(ref.key) : null;
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
