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
  isEnumType,
  isObjectType,
  isScalarType,
  OperationTypeNode,
  responsePathAsArray,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
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
// The longest Int is "-2147483648"; the longest Float (shortest round-trip form) 24 chars.
const intSize: Measure = () => 11;
const floatSize: Measure = () => 24;
const booleanSize: Measure = () => 5;
const dateSize: Measure = () => 16;
const dateTimeSize: Measure = () => 32;
const objectSize: Measure = () => 2;

function measureOf(field: GraphQLField<unknown, unknown>): Measure {
  const type = getNamedType(field.type);
  if (isEnumType(type)) return stringSize;
  if (!isScalarType(type)) return objectSize;
  switch (type.name) {
    case "String":
    case "ID":
      return stringSize;
    case "Int":
      return intSize;
    case "Float":
      return floatSize;
    case "Boolean":
      return booleanSize;
    // Sent as ISO strings of a fixed form ("2025-06-01", "2025-06-01T09:30:00.000Z"), quotes
    // included, with room for a wider year: counted without serialising every value twice.
    case "Date":
      return dateSize;
    case "DateTime":
      return dateTimeSize;
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

function spend(budget: ResponseBudget, value: unknown, measure: Measure, info: GraphQLResolveInfo) {
  // The response key (the alias, if any), then "": , which is 4 bytes.
  budget.left -= String(info.path.key).length + 4 + sizeOf(value, measure);
  budget.fields++;
  if ((budget.left < 0 || budget.fields > budget.maxFields) && !budget.error) {
    // One error for the whole request, already located: graphql-js then reuses it for every
    // field that throws it instead of building one per field.
    const [what, limit] = budget.left < 0 ? ["bytes", budget.limit] : ["fields", budget.maxFields];
    budget.error = new GraphQLError(
      `The response would exceed ${limit} ${what}: ask for fewer fields, smaller pages (first) or fewer aliases`,
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
    `The response would exceed ${budget.maxFields} fields: ask for fewer fields, smaller pages (first) or fewer aliases`,
    { extensions: { code: RESPONSE_TOO_LARGE, limit: budget.maxFields, http: { status: 400 } } },
  );
  return budget.error;
}

function metered(
  resolve: GraphQLFieldResolver<unknown, Metered>,
  measure: Measure,
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
        spend(budget, resolved, measure, info),
      );
    }
    // graphql-js completes synchronous fields without ever yielding: a large answer would hold
    // the event loop, and every other request, until it is whole. Every so many fields the
    // request steps aside for one turn of the loop.
    if ((budget.fields + 1) % FIELDS_PER_TURN === 0) {
      return new Promise((resolve, reject) =>
        setImmediate(() => {
          try {
            resolve(spend(budget, value, measure, info));
          } catch {
            reject(overrun(budget));
          }
        }),
      );
    }
    try {
      return spend(budget, value, measure, info);
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
    for (const field of Object.values(type.getFields())) {
      field.resolve = metered(
        (field.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, Metered>,
        measureOf(field),
      );
    }
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
