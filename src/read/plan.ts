/**
 * Reads planned from the selection. A root field's rows (an article by slug, a page of a list)
 * and everything the query selects below them that comes whole with its parent (the relations
 * of src/read/relations.ts, and the objects rows name in their `<field>Id` columns) are read in
 * one statement: each level a set of rows found from the level above, all returned as one JSON
 * value. The rows then prime the request's loaders, which the resolvers read: what the plan
 * read they answer at once, and what it did not reach (a connection below, a field a resolver
 * computes otherwise) they still load, batched. The walk is graphql-js's own field collection
 * (src/read/selection.ts), so fragments, aliases and `@skip`/`@include` plan as they execute.
 */
import { createHash } from "node:crypto";
import { GraphQLObjectType, type GraphQLResolveInfo } from "graphql";
import { LRUCache } from "lru-cache";
import type { Context } from "../context.js";
import type { NamedStatement } from "../db/database.js";
import { columnList, columnsOf, fromJsonRow, orderOf } from "../db/rows.js";
import type { Prisma } from "../generated/prisma/client.js";
import { NODE_TYPES, NODES, type NodeType } from "../registry.js";
import { primeGrouped, type Loaders, type NodeRow } from "./loaders.js";
import { RELATIONS, relationOf, type RelationName } from "./relations.js";
import { child, subfields, type Request, type Selection } from "./selection.js";

type Row = Record<string, unknown>;

/**
 * The most sets of rows one statement reads below its root. A selection is bounded by the
 * request's limits (depth, aliases, tokens); past this the loaders read the rest, batched.
 */
export const MAX_PLANNED_SETS = 40;

/** A set of rows the statement reads: a named `WITH` query over one model. */
export interface RowSet {
  name: string;
  model: Prisma.ModelName;
  columns: readonly string[];
}

/** What the rows of one set are handed to. */
type Step =
  | { kind: "relation"; set: RowSet; relation: RelationName; parent: RowSet }
  | { kind: "node"; set: RowSet; type: NodeType }
  | { kind: "body"; set: RowSet };

/** The rows read below a root set: more `WITH` queries and more entries of the result. */
export interface Plan {
  /** `, s1 AS MATERIALIZED (…)`, for each set below the root. */
  with: string;
  /** `, 's1', (…)`: each set's rows as a JSON array, for the statement's `json_build_object`. */
  select: string;
  /** Whether nothing is read below the root. */
  empty: boolean;
  /** Hands the sets read to the loaders; `sets` holds each set's rows under its name. */
  prime(loaders: Loaders, sets: Record<string, Row[] | undefined>): void;
}

const NODE_OF_MODEL = new Map<string, NodeType>(
  NODE_TYPES.map((type) => [NODES[type].model, type]),
);

const omitted = (type: NodeType): readonly string[] =>
  (NODES[type] as { omit?: readonly string[] }).omit ?? [];

/** The rows read below `root`, whose objects are of the selection's type, as the query asks. */
export function planBelow(request: Request, selection: Selection | null, root: RowSet): Plan {
  const sets: { set: RowSet; sql: string; order: string }[] = [];
  const steps: Step[] = [];
  const add = (
    model: Prisma.ModelName,
    columns: readonly string[],
    where: string,
    order: string,
  ) => {
    const set = { name: `s${sets.length + 1}`, model, columns };
    sets.push({ set, sql: `SELECT ${columnList(columns)} FROM "${model}" WHERE ${where}`, order });
    return set;
  };
  const objects = (type: NodeType, ids: string) => {
    const { model } = NODES[type];
    const set = add(model, columnsOf(model, omitted(type)), `"id" = ANY(ARRAY(${ids}))`, `x."id"`);
    steps.push({ kind: "node", set, type });
    return set;
  };
  const bodies = new Set<RowSet>();
  const needBody = (set: RowSet) => {
    if (set.columns.includes("body") || bodies.has(set)) return;
    bodies.add(set);
    const body = add(
      "Article",
      ["id", "body"],
      `"id" = ANY(ARRAY(SELECT "id" FROM ${set.name}))`,
      `x."id"`,
    );
    steps.push({ kind: "body", set: body });
  };

  const walk = (selection: Selection, set: RowSet) => {
    const type = selection.type.name;
    const names = new Set([...subfields(request, selection).values()].map((f) => f[0]!.name.value));
    for (const name of names) {
      if (sets.length >= MAX_PLANNED_SETS) return;
      if (type === "Article" && name === "body") needBody(set);
      const below = child(request, selection, name);
      const relationName = relationOf(type, name);
      if (relationName) {
        const relation = RELATIONS[relationName];
        if ((relation as { needs?: readonly string[] }).needs?.includes("body")) needBody(set);
        const rows = add(
          relation.model,
          columnsOf(relation.model),
          `"${relation.parent}" = ANY(ARRAY(SELECT "id" FROM ${set.name}))`,
          orderOf(relation.model, [relation.order], "x"),
        );
        steps.push({ kind: "relation", set: rows, relation: relationName, parent: set });
        const node = NODE_OF_MODEL.get(relation.model);
        if (node) steps.push({ kind: "node", set: rows, type: node });
        const target = (relation as { target?: { type: NodeType; column: string } }).target;
        if (target) {
          const objectsSet = objects(target.type, `SELECT "${target.column}" FROM ${rows.name}`);
          if (below) walk(below, objectsSet);
        } else if (below) walk(below, rows);
        continue;
      }
      // An object the row names by its `<field>Id` column (src/resolvers/conventions.ts).
      const named = below && NODE_OF_MODEL.get(NODES[below.type.name as NodeType]?.model);
      if (below && named && set.columns.includes(`${name}Id`)) {
        walk(below, objects(named, `SELECT "${name}Id" FROM ${set.name}`));
      }
    }
  };
  if (selection) walk(selection, root);

  return {
    with: sets.map(({ set, sql }) => `,\n${set.name} AS MATERIALIZED (${sql})`).join(""),
    select: sets
      .map(
        ({ set, order }) =>
          `,\n'${set.name}', (SELECT coalesce(json_agg(x ORDER BY ${order}), '[]') FROM ${set.name} x)`,
      )
      .join(""),
    empty: sets.length === 0,
    prime(loaders, read) {
      const rowsOf = (set: RowSet) => read[set.name] ?? [];
      for (const { set } of sets) read[set.name] = rowsOf(set).map(fromJsonRow);
      for (const step of steps) {
        const rows = rowsOf(step.set);
        if (step.kind === "node") {
          const loader = loaders.byId[step.type] as { prime(id: number, row: Row): unknown };
          for (const row of rows) loader.prime(row.id as number, row);
        } else if (step.kind === "body") {
          for (const row of rows) loaders.articleBody.prime(row.id as number, row as never);
        } else {
          const relation = RELATIONS[step.relation];
          const parents = rowsOf(step.parent).map((row) => row.id as number);
          const loader = loaders[step.relation] as { prime(key: number, rows: Row[]): unknown };
          primeGrouped(loader, parents, rows, (row) => row[relation.parent] as number);
        }
      }
    },
  };
}

/**
 * The named statement for `text`, `<prefix>_<hash of text>`: the same name for the same text.
 * A memo of the most recent texts (each hashed once, not per request), bounded like each
 * connection's prepared statements (src/db/database.ts): a name that falls out is computed again.
 */
const statements = new LRUCache<string, NamedStatement>({ max: 200 });
export function statementFor(prefix: string, text: string): NamedStatement {
  let statement = statements.get(text);
  if (!statement) {
    const hash = createHash("sha1").update(text).digest("hex").slice(0, 12);
    statement = { name: `${prefix}_${hash}`, text };
    statements.set(text, statement);
  }
  return statement;
}

/**
 * The object of `type` whose `column` is `value` (its id, or an article's slug), with what the
 * query selects below it, in one statement; `null` when there is none. A selection that reads
 * nothing below the object takes the type's loader instead, which batches lookups of the same
 * type (twenty aliased lookups are one statement).
 */
export async function readObject<T extends NodeType>(
  { db, loaders }: Context,
  info: GraphQLResolveInfo,
  type: T,
  key: { column: "id"; value: number } | { column: "slug"; value: string },
): Promise<NodeRow<T> | null> {
  const objectType = info.schema.getType(type);
  const { model } = NODES[type];
  const root: RowSet = { name: "root", model, columns: columnsOf(model, omitted(type)) };
  const plan =
    objectType instanceof GraphQLObjectType
      ? planBelow(info, { type: objectType, nodes: info.fieldNodes }, root)
      : null;
  if (!plan || plan.empty) {
    if (key.column === "slug") return loaders.articleBySlug.load(key.value) as Promise<NodeRow<T>>;
    return loaders.byId[type].load(key.value);
  }
  const text = `WITH root AS MATERIALIZED (
  SELECT ${columnList(root.columns)} FROM "${model}" WHERE "${key.column}" = $1
)${plan.with}
SELECT json_build_object('root', (SELECT coalesce(json_agg(x), '[]') FROM root x)${plan.select}) AS result`;
  const [row] = await db.read<{ result: Record<string, Row[]> }>(
    statementFor(`read_${type}`, text),
    [key.value],
  );
  const sets = row!.result;
  const object = sets.root?.[0] && fromJsonRow(sets.root[0]);
  if (!object) return null;
  sets.root = [object];
  (loaders.byId[type] as { prime(id: number, row: Row): unknown }).prime(
    object.id as number,
    object,
  );
  if (type === "Article") loaders.articleBySlug.prime(object.slug as string, object as never);
  plan.prime(loaders, sets);
  return object as NodeRow<T>;
}
