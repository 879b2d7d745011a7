/**
 * Custom scalars as schema.graphql declares them. graphql-scalars gives each its parsing and
 * serialising, and also a name, a description and a `specifiedByURL` of its own; a resolver
 * map copies all of those onto the schema's type, so introspection would show the library's
 * words where `schema.graphql` (and, in federation, `_service { sdl }`) shows the file's. The
 * scalar served keeps the library's behaviour and takes everything it says from the file.
 */
import {
  getDirectiveValues,
  GraphQLScalarType,
  GraphQLSpecifiedByDirective,
  Kind,
  type GraphQLScalarTypeConfig,
  type ScalarTypeDefinitionNode,
} from "graphql";
import { schemaDocument } from "../schema.js";

/** The definition of scalar `name` in schema.graphql. */
function declaration(name: string): ScalarTypeDefinitionNode {
  const node = schemaDocument().definitions.find(
    (d): d is ScalarTypeDefinitionNode =>
      d.kind === Kind.SCALAR_TYPE_DEFINITION && d.name.value === name,
  );
  if (!node) throw new Error(`schema.graphql declares no scalar ${name}`);
  return node;
}

/**
 * Scalar `name` with the behaviour of `behaviour` (a graphql-scalars scalar's config) and the
 * name, description and `@specifiedBy` URL of its declaration in schema.graphql: none when the
 * file gives none.
 */
export function declaredScalar<Internal, External>(
  name: string,
  behaviour: GraphQLScalarTypeConfig<Internal, External>,
): GraphQLScalarType<Internal, External> {
  const node = declaration(name);
  const specifiedBy = getDirectiveValues(GraphQLSpecifiedByDirective, node) as
    { url: string } | undefined;
  return new GraphQLScalarType<Internal, External>({
    ...behaviour,
    name: node.name.value,
    description: node.description?.value,
    specifiedByURL: specifiedBy?.url,
    // The schema's type keeps its own syntax node: the one it was built from.
    astNode: undefined,
    extensionASTNodes: [],
  });
}
