/**
 * The contract operations the explorer offers, read from tests/contract/operations at build
 * time, with where each required variable's example comes from. The runtime image holds no
 * tests/ folder, so the bundle carries the operations; a new operation appears at the next
 * `npm run build:explorer` (which `npm ci` runs) without a change here.
 *
 * Ids are assigned by the database, so no example id can be known at build time: an example
 * names a field of a type (`Actor.id`), and the page reads the first such object through the
 * API when it loads ({@link ExplorerContract.examplesQuery}), from whatever record the server
 * holds: the seed's article and actors on a seeded database.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import {
  buildSchema,
  getNamedType,
  GraphQLEnumType,
  GraphQLObjectType,
  GraphQLScalarType,
  isAbstractType,
  isObjectType,
  Kind,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from "graphql";

/** Where one variable's example value comes from. */
export type ExampleSource =
  /** `field` of the first `type` object the record lists, read when the page loads. */
  | { kind: "record"; type: string; field: string }
  /** A value that needs no record: a page size, an enum value. */
  | { kind: "value"; value: unknown }
  /** No rule knows this variable: the page shows `why` in its place, so it is not left empty. */
  | { kind: "unknown"; why: string };

export interface ExplorerOperation {
  /** The operation's name, which is also its file's name. */
  name: string;
  /** The file's leading comment, what the operation is for ("" without one). */
  description: string;
  /** The file's text, as the contract has it. */
  query: string;
  /** An example for each variable the operation requires (non-null, no default). */
  variables: Record<string, ExampleSource>;
}

export interface ExplorerContract {
  operations: ExplorerOperation[];
  /**
   * One query, `ExplorerExamples`, reading the first object of each type the examples name,
   * aliased by type: `Actor: actors(first: 1) { edges { node { id name } } }`. Empty when no
   * example needs the record.
   */
  examplesQuery: string;
}

/** The top-level connection that lists `type` (`actors` for Actor), if the schema has one. */
function connectionOf(schema: GraphQLSchema, type: string): string | undefined {
  const fields = schema.getQueryType()?.getFields() ?? {};
  return Object.values(fields).find(
    (field) => getNamedType(field.type).name === `${type}Connection`,
  )?.name;
}

/**
 * The object type an id argument designates: the field's own type or, for an interface, the
 * first implementer the operation selects fields of (`... on Actor`), else the first listed.
 */
function idTarget(
  schema: GraphQLSchema,
  type: GraphQLNamedType | undefined,
  selected: readonly string[] = [],
): string | undefined {
  if (type === undefined) return undefined;
  if (isObjectType(type)) return connectionOf(schema, type.name) ? type.name : undefined;
  if (isAbstractType(type)) {
    const listed = schema.getPossibleTypes(type).filter((t) => connectionOf(schema, t.name));
    return selected.find((name) => listed.some((t) => t.name === name)) ?? listed[0]?.name;
  }
  return undefined;
}

/**
 * The example for a variable used as argument or input field `name` of type `type`, below
 * `field` (whose selection names the types in `selected`). The rules cover the contract's variables: an `id` (or `<type>Id`) is an id of that
 * type, a string argument named like a field of the type returned (`article(slug:)`) is that
 * field, a search text is an actor's name (the record's names are what searches find).
 */
export function exampleFor(
  schema: GraphQLSchema,
  name: string,
  type: GraphQLNamedType,
  field: GraphQLField<unknown, unknown> | null,
  selected: readonly string[] = [],
): ExampleSource {
  const returned = field ? getNamedType(field.type) : undefined;
  if (type.name === "ID") {
    const target =
      name === "id"
        ? idTarget(schema, returned, selected)
        : idTarget(schema, schema.getType(capitalised(name.replace(/Id$/, ""))) ?? undefined);
    if (target) return { kind: "record", type: target, field: "id" };
  }
  if (type.name === "String") {
    if (returned instanceof GraphQLObjectType && connectionOf(schema, returned.name)) {
      const same = returned.getFields()[name];
      if (same && getNamedType(same.type).name === "String") {
        return { kind: "record", type: returned.name, field: name };
      }
    }
    if (name === "query" || name === "search") {
      return { kind: "record", type: "Actor", field: "name" };
    }
  }
  if (type instanceof GraphQLScalarType && (type.name === "Int" || type.name === "Float")) {
    return { kind: "value", value: 5 };
  }
  if (type instanceof GraphQLScalarType && type.name === "Boolean") {
    return { kind: "value", value: true };
  }
  if (type instanceof GraphQLEnumType) {
    return { kind: "value", value: type.getValues()[0]?.value };
  }
  return { kind: "unknown", why: `no example for a ${type.name} given as ${name}` };
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** The leading `#` lines of a file, without their marks. */
function leadingComment(text: string): string {
  const lines: string[] = [];
  for (const line of text.split("\n")) {
    const match = /^#\s?(.*)$/.exec(line);
    if (!match) break;
    lines.push(match[1]!);
  }
  return lines.join(" ").trim();
}

/** One contract file: its operation, and an example for each variable it requires. */
export function explorerOperation(
  schema: GraphQLSchema,
  file: string,
  text: string,
): ExplorerOperation {
  const document = parse(text);
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operations[0];
  if (operations.length !== 1 || !operation?.name) {
    throw new Error(`${file}: the explorer needs exactly one named operation per file`);
  }
  const required = new Set(
    (operation.variableDefinitions ?? [])
      .filter((d) => d.type.kind === Kind.NON_NULL_TYPE)
      .filter((d) => d.defaultValue === undefined)
      .map((d) => d.variable.name.value),
  );
  const variables: Record<string, ExampleSource> = {};
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Variable(node, _key, parent, _path, ancestors) {
        const name = node.name.value;
        if (!required.has(name) || name in variables) return;
        if (Array.isArray(parent) || !parent || !("kind" in parent)) return;
        if (parent.kind !== Kind.ARGUMENT && parent.kind !== Kind.OBJECT_FIELD) return;
        const type = typeInfo.getInputType();
        if (!type) return;
        const fieldNode = ancestors.findLast(
          (ancestor): ancestor is FieldNode =>
            !Array.isArray(ancestor) && (ancestor as ASTNode).kind === Kind.FIELD,
        );
        const selected = (fieldNode?.selectionSet?.selections ?? []).flatMap((selection) =>
          selection.kind === Kind.INLINE_FRAGMENT && selection.typeCondition
            ? [selection.typeCondition.name.value]
            : [],
        );
        variables[name] = exampleFor(
          schema,
          parent.name.value,
          getNamedType(type),
          typeInfo.getFieldDef() ?? null,
          selected,
        );
      },
    }),
  );
  for (const name of required) {
    variables[name] ??= { kind: "unknown", why: `$${name} is declared but not used` };
  }
  return {
    name: operation.name.value,
    description: leadingComment(text),
    query: text,
    variables,
  };
}

/** The query that reads every record example of `operations` when the page loads. */
export function examplesQuery(schema: GraphQLSchema, operations: ExplorerOperation[]): string {
  const fields = new Map<string, Set<string>>();
  for (const operation of operations) {
    for (const source of Object.values(operation.variables)) {
      if (source.kind !== "record") continue;
      const set = fields.get(source.type) ?? new Set(["id"]);
      fields.set(source.type, set.add(source.field));
    }
  }
  if (fields.size === 0) return "";
  const selections = [...fields].map(
    ([type, names]) =>
      `  ${type}: ${connectionOf(schema, type)}(first: 1) { edges { node { ${[...names].join(" ")} } } }`,
  );
  return `query ExplorerExamples {\n${selections.join("\n")}\n}\n`;
}

/**
 * The operations of `folder` (its own `*.graphql` files, in name order) checked against the
 * schema. The admin operations below it are mutations that need an API key, which the
 * explorer has no business holding: they are not offered.
 */
export async function readContract(folder: string, schemaFile: string): Promise<ExplorerContract> {
  const schema = buildSchema(await readFile(schemaFile, "utf8"));
  const entries = await readdir(folder, { withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".graphql"))
    .map((entry) => entry.name)
    .sort();
  const operations: ExplorerOperation[] = [];
  for (const file of files) {
    const text = await readFile(path.join(folder, file), "utf8");
    operations.push(explorerOperation(schema, file, text));
  }
  return { operations, examplesQuery: examplesQuery(schema, operations) };
}
