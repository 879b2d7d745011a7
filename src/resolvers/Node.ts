/**
 * `Node` is an interface, so GraphQL must learn each object's type at run time. Database rows
 * do not carry it: whoever loads a row for a `Node` position tags it here.
 */
import type { NodeType } from "../registry.js";
import type { NodeResolvers } from "../generated/graphql.js";

const typeOf = new WeakMap<object, NodeType>();

export function asNode<Row extends object>(type: NodeType, row: Row): Row {
  typeOf.set(row, type);
  return row;
}

export const Node: NodeResolvers = {
  __resolveType(row) {
    const type = typeOf.get(row);
    if (!type) throw new Error("A Node was resolved without its type");
    return type;
  },
};
