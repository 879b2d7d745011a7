/**
 * Fields resolved by convention, so that a type's resolver module holds only what is
 * particular to it, and a new type needs none for its ids and references:
 * - `id` on a `Node` type is the row's global id (src/ids.ts);
 * - a field whose type is a `Node` type is the object its row's `<field>Id` names, read
 *   through the type's loader (one statement per type for a whole response); a row that
 *   already holds the object under the field's own name gives that instead;
 * - `basis` is `EDITORIAL` when the row has an `editorialNote`, else `CITED` (src/edits/basis.ts).
 * A resolver written in the type's module wins over the convention.
 */
import {
  Kind,
  type DocumentNode,
  type FieldDefinitionNode,
  type GraphQLFieldResolver,
  type TypeNode,
} from "graphql";
import type { Context } from "../context.js";
import type { Resolvers } from "../generated/graphql.js";
import { basisOf } from "../edits/basis.js";
import { toGlobalId } from "../ids.js";
import { NODES, type NodeType } from "../registry.js";
import { andThen } from "./load.js";

type Row = Record<string, unknown>;
type FieldResolvers = Record<string, unknown>;

const isNodeType = (name: string): name is NodeType => Object.hasOwn(NODES, name);

/** The named type of a field, and whether the field is non-null; `null` for a list. */
function reference(type: TypeNode): { name: string; nonNull: boolean } | null {
  if (type.kind === Kind.NON_NULL_TYPE) {
    const inner = reference(type.type);
    return inner && { ...inner, nonNull: true };
  }
  return type.kind === Kind.NAMED_TYPE ? { name: type.name.value, nonNull: false } : null;
}

function globalId(type: NodeType): GraphQLFieldResolver<Row, Context> {
  return (row) => toGlobalId(type, row.id as number);
}

/** A fact's basis, from the note its row holds. */
function basis(parent: string): GraphQLFieldResolver<Row, Context> {
  return (row) => {
    // A row read without its note would otherwise claim a citation it may not have.
    if (!("editorialNote" in row)) {
      throw new Error(`${parent}.basis: the ${parent} row was read without "editorialNote"`);
    }
    return basisOf(row as { editorialNote: string | null });
  };
}

/** The object `row[<field>Id]` names; the row's own `field` when it holds no such key. */
function referenceTo(
  parent: string,
  field: string,
  type: NodeType,
  nonNull: boolean,
): GraphQLFieldResolver<Row, Context> {
  const column = `${field}Id`;
  const missing = (row: Row) => new Error(`${parent} ${String(row.id)} names a missing ${type}`);
  return (row, _args, { loaders }) => {
    const key = row[column];
    if (key === undefined) {
      // A row read without its key column would otherwise answer a silent null.
      if (field in row) return row[field];
      throw new Error(`${parent}.${field}: the ${parent} row was read without "${column}"`);
    }
    if (key === null) return null;
    const found = loaders.byId[type].get(key as number);
    if (!nonNull) return found;
    // The foreign key guarantees the row: its absence is a broken record, not an empty answer.
    // A rejected promise, not a throw: see `metered` in src/response-size.ts.
    return andThen(found, (object) => object ?? Promise.reject(missing(row)));
  };
}

/** `resolvers` with the conventions above filled in for every object type of `document`. */
export function withConventions(resolvers: Resolvers, document: DocumentNode): Resolvers {
  const filled: Record<string, FieldResolvers> = {
    ...(resolvers as Record<string, FieldResolvers>),
  };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    const parent = definition.name.value;
    if (parent === "Query" || parent === "Mutation" || parent === "Subscription") continue;
    const own = filled[parent] ?? {};
    const added: FieldResolvers = {};
    for (const field of (definition.fields ?? []) as FieldDefinitionNode[]) {
      const name = field.name.value;
      if (own[name] !== undefined) continue;
      if (name === "id" && isNodeType(parent)) {
        added[name] = globalId(parent);
        continue;
      }
      if (name === "basis") {
        added[name] = basis(parent);
        continue;
      }
      const target = reference(field.type);
      if (target && isNodeType(target.name)) {
        added[name] = referenceTo(parent, name, target.name, target.nonNull);
      }
    }
    if (Object.keys(added).length > 0) filled[parent] = { ...own, ...added };
  }
  return filled;
}
