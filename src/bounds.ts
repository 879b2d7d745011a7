/**
 * The most items each bounded list holds, read from schema.graphql: the `assumedSize` of a
 * field's `@listSize` directive. The schema is the one place a bound is written, so the
 * clients reading it, the cost estimate and the write checks all agree.
 */
import { Kind, type ConstDirectiveNode, type FieldDefinitionNode } from "graphql";
import { schemaDocument } from "./schema.js";

/** `assumedSize` of a `@listSize` directive; `undefined` when it has none. */
export function assumedSize(directive: ConstDirectiveNode): number | undefined {
  const argument = directive.arguments?.find((arg) => arg.name.value === "assumedSize");
  return argument?.value.kind === Kind.INT ? Number(argument.value.value) : undefined;
}

function readBounds(): Map<string, number> {
  const document = schemaDocument();
  const bounds = new Map<string, number>();
  for (const definition of document.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION
    )
      continue;
    for (const field of (definition.fields ?? []) as FieldDefinitionNode[]) {
      const listSize = field.directives?.find((d) => d.name.value === "listSize");
      const size = listSize && assumedSize(listSize);
      if (size !== undefined) bounds.set(`${definition.name.value}.${field.name.value}`, size);
    }
  }
  return bounds;
}

let bounds: Map<string, number> | undefined;

/**
 * The most items `type.field` may hold. Throws when the schema states no bound for it: a list
 * enforced on write without a declared bound is a mistake to catch at once, not a list that
 * silently grows.
 */
export function maxItems(type: string, field: string): number {
  bounds ??= readBounds();
  const size = bounds.get(`${type}.${field}`);
  if (size === undefined)
    throw new Error(`schema.graphql declares no @listSize(assumedSize:) for ${type}.${field}`);
  return size;
}
