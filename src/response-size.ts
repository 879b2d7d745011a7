/**
 * The largest response Accord builds (`ACCORD_MAX_RESPONSE_BYTES`). Cost estimates bound the
 * shape of a query, not the size of what the records hold: an article body is as long as its
 * editor made it. So every request carries a byte budget, and every field spends from it as
 * it resolves: its key, its punctuation and its value's serialised size (UTF-8 bytes of a
 * string; objects spend only their braces, their fields spend the rest). Once the budget is
 * gone every later field throws at once, so neither the database nor the JSON serialiser
 * does more work, and the whole response becomes one RESPONSE_TOO_LARGE error.
 *
 * The count is of the `data` part without JSON escapes, so it reads a little low for text
 * full of quotes or control characters; it exists to stop responses orders of magnitude too
 * big, long before they are built, at the cost of one addition per field.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import {
  defaultFieldResolver,
  getNamedType,
  GraphQLError,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  OperationTypeNode,
  responsePathAsArray,
  type FieldNode,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionNode,
} from "graphql";

export const RESPONSE_TOO_LARGE = "RESPONSE_TOO_LARGE";

export interface ResponseBudget {
  /** Bytes the response may still take. */
  left: number;
  limit: number;
  /** Set once the budget is spent: every later field throws it. */
  error: GraphQLError | null;
  /** Fields resolved so far, and the most a response may hold. */
  fields: number;
  maxFields: number;
  /** The field count at which the request next steps aside for a turn of the event loop. */
  yieldAt: number;
}

/** Fields a request resolves between two turns of the event loop (the article page: ~300). */
const FIELDS_PER_TURN = 2000;

/** What `field.resolve` gets as its context: any object that may carry a budget. */
interface Metered {
  responseBudget?: ResponseBudget;
}

/** The serialised size of one non-list value of a field's type. */
type Measure = (value: unknown) => number;

const stringSize: Measure = (value) =>
  typeof value === "string" ? Buffer.byteLength(value) + 2 : 12;
const objectSize: Measure = () => 2;

/**
 * The most one value of these scalars takes serialised. The longest Int is "-2147483648"; the
 * longest Float (shortest round-trip form) 24 characters. Dates are sent as ISO strings of a
 * fixed form ("2025-06-01", "2025-06-01T09:30:00.000Z"), quotes included, with room for a wider
 * year: counted without serialising every value twice.
 */
const FIXED_SCALARS: Record<string, number> = {
  Int: 11,
  Float: 24,
  Boolean: 5,
  Date: 16,
  DateTime: 32,
};

function measureOf(field: GraphQLField<unknown, unknown>): Measure {
  const type = getNamedType(field.type);
  if (isEnumType(type)) return stringSize;
  if (!isScalarType(type)) return objectSize;
  if (Object.hasOwn(FIXED_SCALARS, type.name)) {
    const fixed = FIXED_SCALARS[type.name]!;
    return () => fixed;
  }
  switch (type.name) {
    case "String":
    case "ID":
      return stringSize;
    default:
      // JSON: what the scalar sends, measured as it will be sent.
      return (value) => {
        try {
          const sent: unknown = type.serialize(value);
          return typeof sent === "string"
            ? Buffer.byteLength(sent) + 2
            : Buffer.byteLength(JSON.stringify(sent) ?? "null");
        } catch {
          return 4; // graphql-js reports the value as an error; the error is not counted
        }
      };
  }
}

/**
 * The size of one value of a field whose every value has the same bound (a number, a boolean,
 * an enum value, a date, a `Node`'s global id), or `null` for a field whose values vary (text,
 * JSON, objects, lists). Such a field is not metered as it resolves: its object pays for it, and
 * for its siblings of the same kind, in one sum when the object itself arrives (`fixedPart`).
 * On the article page that is half of the fields, each of which would otherwise be a call.
 */
function fixedSizeOf(
  parent: GraphQLObjectType,
  field: GraphQLField<unknown, unknown>,
): number | null {
  const type = isNonNullType(field.type) ? field.type.ofType : field.type;
  if (isEnumType(type)) return Math.max(...type.getValues().map((v) => v.name.length)) + 2;
  if (!isScalarType(type)) return null;
  // A Node's own id is a global id (src/ids.ts): base64url of "<Type>:<key>", short.
  if (type.name === "ID") {
    return field.name === "id" && parent.getInterfaces().some((i) => i.name === "Node")
      ? GLOBAL_ID_SIZE
      : null;
  }
  return Object.hasOwn(FIXED_SCALARS, type.name) ? FIXED_SCALARS[type.name]! : null;
}

/** The longest global id (a long type name and a ten-digit key), quoted. */
const GLOBAL_ID_SIZE = 48;

/** The fixed-size fields of each object type, and what one value of each costs. */
const FIXED = new WeakMap<GraphQLObjectType, Map<string, number>>();

/** What the fixed-size fields selected below `nodes` cost per object, and how many they are. */
interface FixedPart {
  bytes: number;
  fields: number;
}

/**
 * The fixed-size fields the query selects on each object a field returns, through fragments;
 * `@skip`/`@include` are not read, so a field they leave out is paid for all the same (a
 * little high, never low). Kept per field node: documents are parsed once and reused.
 */
const fixedParts = new WeakMap<FieldNode, FixedPart>();

function fixedPart(info: GraphQLResolveInfo): FixedPart {
  const first = info.fieldNodes[0]!;
  const known = info.fieldNodes.length === 1 ? fixedParts.get(first) : undefined;
  if (known) return known;
  const named = getNamedType(info.returnType);
  const types = isAbstractType(named) ? info.schema.getPossibleTypes(named) : [named];
  const part: FixedPart = { bytes: 0, fields: 0 };
  const walk = (selections: readonly SelectionNode[], seen: Set<string>) => {
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) {
        // The most any of the possible types charges for the field.
        let size = 0;
        for (const type of types) {
          if (isObjectType(type))
            size = Math.max(size, FIXED.get(type)?.get(selection.name.value) ?? 0);
        }
        if (size > 0) {
          part.bytes += (selection.alias ?? selection.name).value.length + 4 + size;
          part.fields++;
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet.selections, seen);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        walk(info.fragments[selection.name.value]?.selectionSet.selections ?? [], seen);
      }
    }
  };
  for (const node of info.fieldNodes) walk(node.selectionSet?.selections ?? [], new Set());
  if (info.fieldNodes.length === 1) fixedParts.set(first, part);
  return part;
}

/** The objects in a value of an object, or list of objects, type. */
function objectsIn(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (!Array.isArray(value)) return 1;
  let count = 0;
  for (const item of value) count += objectsIn(item);
  return count;
}

function sizeOf(value: unknown, measure: Measure): number {
  if (value === null || value === undefined) return 4;
  if (Array.isArray(value)) {
    // Brackets, then one comma per item, then the items.
    let size = 2 + value.length;
    for (const item of value) size += sizeOf(item, measure);
    return size;
  }
  return measure(value);
}

function spend(
  budget: ResponseBudget,
  value: unknown,
  measure: Measure,
  info: GraphQLResolveInfo,
  composite: boolean,
) {
  // The response key (the alias, if any), then "": , which is 4 bytes.
  budget.left -= String(info.path.key).length + 4 + sizeOf(value, measure);
  budget.fields++;
  if (composite) {
    // The objects' fixed-size fields, which are not metered one by one.
    const objects = objectsIn(value);
    if (objects > 0) {
      const part = fixedPart(info);
      budget.left -= objects * part.bytes;
      budget.fields += objects * part.fields;
    }
  }
  if ((budget.left < 0 || budget.fields > budget.maxFields) && !budget.error) {
    // One error for the whole request, already located: graphql-js then reuses it for every
    // field that throws it instead of building one per field.
    const [what, limit] = budget.left < 0 ? ["bytes", budget.limit] : ["fields", budget.maxFields];
    budget.error = new GraphQLError(
      `The response would exceed ${limit} ${what}: ask for fewer fields, smaller pages (first or last) or fewer aliases`,
      {
        path: responsePathAsArray(info.path),
        extensions: { code: RESPONSE_TOO_LARGE, limit, http: { status: 400 } },
      },
    );
  }
  if (budget.error) throw budget.error;
  return value;
}

/**
 * Spends the budget of `rows` objects a read is about to fetch, before it fetches them: a
 * read that would bring back more objects than the response may hold fields is refused, so
 * its rows never reach memory. Returns the error to throw, or null.
 */
export function reserveRows(budget: ResponseBudget | undefined, rows: number): GraphQLError | null {
  if (!budget) return null;
  if (budget.error) return budget.error;
  if (budget.fields + rows <= budget.maxFields) return null;
  budget.error = new GraphQLError(
    `The response would exceed ${budget.maxFields} fields: ask for fewer fields, smaller pages (first or last) or fewer aliases`,
    { extensions: { code: RESPONSE_TOO_LARGE, limit: budget.maxFields, http: { status: 400 } } },
  );
  return budget.error;
}

function metered(
  resolve: GraphQLFieldResolver<unknown, Metered>,
  measure: Measure,
  composite: boolean,
): GraphQLFieldResolver<unknown, Metered> {
  // Once the budget is spent a field fails as a rejected promise, never a synchronous throw:
  // graphql-js 16 lets a synchronous error in a non-null list item escape past the promises
  // of the items before it, which then reject with no handler and end the process.
  return (source, args, context, info) => {
    const budget = context?.responseBudget;
    if (budget === undefined) return resolve(source, args, context, info);
    if (budget.error) return Promise.reject(budget.error);
    const value: unknown = resolve(source, args, context, info);
    if (typeof (value as PromiseLike<unknown> | null)?.then === "function") {
      return (value as PromiseLike<unknown>).then((resolved) =>
        spend(budget, resolved, measure, info, composite),
      );
    }
    // graphql-js completes synchronous fields without ever yielding: a large answer would hold
    // the event loop, and every other request, until it is whole. Every so many fields the
    // request steps aside for one turn of the loop.
    if (budget.fields >= budget.yieldAt) {
      budget.yieldAt = budget.fields + FIELDS_PER_TURN;
      return new Promise((resolve, reject) =>
        setImmediate(() => {
          try {
            resolve(spend(budget, value, measure, info, composite));
          } catch {
            reject(overrun(budget));
          }
        }),
      );
    }
    try {
      return spend(budget, value, measure, info, composite);
    } catch {
      return Promise.reject(overrun(budget));
    }
  };
}

/** The error `spend` threw: the only one it throws. */
function overrun(budget: ResponseBudget): GraphQLError {
  return budget.error ?? new GraphQLError("The response budget failed");
}

const METERED = Symbol("accord.metered");

/**
 * Makes every field of the schema's object types spend the request's budget. The schema is
 * changed in place (as Apollo's own per-field hooks are), not rebuilt: a rebuilt federation
 * subgraph would lose the `__resolveReference` functions stored on its entity types.
 */
export function meterResponseSize(schema: GraphQLSchema): GraphQLSchema {
  const marked = schema as GraphQLSchema & { [METERED]?: true };
  if (marked[METERED]) return schema;
  marked[METERED] = true;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    const fixed = new Map<string, number>();
    for (const field of Object.values(type.getFields())) {
      const size = fixedSizeOf(type, field);
      // A root field is not inside any object that could pay for it.
      const root = type === schema.getQueryType() || type === schema.getMutationType();
      if (size !== null && !root) {
        fixed.set(field.name, size);
        continue;
      }
      field.resolve = metered(
        (field.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, Metered>,
        measureOf(field),
        isCompositeType(getNamedType(field.type)),
      );
    }
    FIXED.set(type, fixed);
  }
  return schema;
}

/**
 * Gives each read its budget, and sends a request that overspent it one error instead of
 * the partial data and the error at every field that stopped.
 */
export function responseSizePlugin(
  maxResponseBytes: number,
  maxResponseFields: number,
): ApolloServerPlugin<Metered> {
  return {
    serverWillStart({ schema }) {
      meterResponseSize(schema);
      return Promise.resolve();
    },
    requestDidStart({ contextValue }) {
      const budget: ResponseBudget = {
        left: maxResponseBytes,
        limit: maxResponseBytes,
        error: null,
        fields: 0,
        maxFields: maxResponseFields,
        yieldAt: FIELDS_PER_TURN,
      };
      return Promise.resolve({
        // Only reads are metered: a mutation's answer is sent after its commit, and refusing
        // it then would tell the client that a change which stands did not happen. What a
        // mutation returns is bounded by the cost limit and the write caps instead.
        didResolveOperation({ operation }) {
          if (operation?.operation !== OperationTypeNode.MUTATION)
            contextValue.responseBudget = budget;
          return Promise.resolve();
        },
        willSendResponse({ response }) {
          if (!budget.error) return Promise.resolve();
          response.http.status = 400;
          response.body = {
            kind: "single",
            singleResult: {
              data: null,
              errors: [
                {
                  message: budget.error.message,
                  extensions: { code: RESPONSE_TOO_LARGE, limit: budget.error.extensions.limit },
                },
              ],
            },
          };
          return Promise.resolve();
        },
      });
    },
  };
}
