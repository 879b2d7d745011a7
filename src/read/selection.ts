/**
 * What a query selects, read the way graphql-js executes it: fragments (named and inline, with
 * their type conditions), aliases, and `@skip`/`@include` under the request's variables. Every
 * read that plans from the selection (src/read/plan.ts, the lists' columns, whether a count is
 * asked) walks it here, with graphql-js's own field collection, so no walker can disagree with
 * what the executor then resolves.
 */
import {
  getNamedType,
  isObjectType,
  type FieldNode,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
} from "graphql";
import { collectSubfields } from "graphql/execution/collectFields.js";

/** The parts of a request's `info` the selection is read from. */
export type Request = Pick<GraphQLResolveInfo, "schema" | "fragments" | "variableValues">;

/** The field nodes selected (under every alias) on objects of one type. */
export interface Selection {
  type: GraphQLObjectType;
  nodes: readonly FieldNode[];
}

/** The subfields `selection` selects, by response key (an alias, or the field's name). */
export function subfields(
  request: Request,
  selection: Selection,
): Map<string, readonly FieldNode[]> {
  return collectSubfields(
    request.schema,
    request.fragments,
    request.variableValues,
    selection.type,
    selection.nodes,
  );
}

/**
 * The selection of field `name` below `selection`, under all its aliases, when its type is an
 * object type; `null` when the query does not select it.
 */
export function child(request: Request, selection: Selection, name: string): Selection | null {
  const nodes: FieldNode[] = [];
  for (const fields of subfields(request, selection).values()) {
    if (fields[0]!.name.value === name) nodes.push(...fields);
  }
  const field = selection.type.getFields()[name];
  if (nodes.length === 0 || !field) return null;
  const type = getNamedType(field.type);
  return isObjectType(type) ? { type, nodes } : null;
}

/** The selection of the field being resolved, when its type is an object type. */
export function current(info: GraphQLResolveInfo): Selection | null {
  const type = getNamedType(info.returnType);
  return isObjectType(type) ? { type, nodes: info.fieldNodes } : null;
}

/** The selection at `path` below the field being resolved, e.g. `["edges", "node"]`. */
export function selectionAt(info: GraphQLResolveInfo, path: readonly string[]): Selection | null {
  let selection = current(info);
  for (const name of path) selection = selection && child(info, selection, name);
  return selection;
}

/** The names of the fields selected at `path` below the current field; `null` when none are. */
export function fieldsAt(info: GraphQLResolveInfo, path: readonly string[]): Set<string> | null {
  const selection = selectionAt(info, path);
  if (!selection) return null;
  return new Set([...subfields(info, selection).values()].map((nodes) => nodes[0]!.name.value));
}

/** Whether the query selects `path` below the current field, e.g. `["totalCount"]`. */
export function selects(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  return fieldsAt(info, path.slice(0, -1))?.has(path.at(-1)!) ?? false;
}
