/**
 * What one request may ask for. Each limit is checked before any resolver runs and refuses
 * with its own error code, so a client can tell which one it hit:
 * MAX_DEPTH_EXCEEDED, MAX_ALIASES_EXCEEDED, MAX_DIRECTIVES_EXCEEDED (validation rules from
 * graphql-armor), MAX_TOKENS_EXCEEDED (graphql-js's own parser limit) and MAX_COST_EXCEEDED
 * (graphql-query-complexity, with `first` counted as the size of the list it pages).
 */
import type { ApolloServerPlugin } from "@apollo/server";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import {
  type DocumentNode,
  getNullableType,
  GraphQLError,
  isListType,
  type ValidationContext,
  type ValidationRule,
  visit,
} from "graphql";
import { getComplexity, type ComplexityEstimator } from "graphql-query-complexity";
import type { Limits } from "./config.js";

export const LIMIT_CODES = [
  "MAX_DEPTH_EXCEEDED",
  "MAX_ALIASES_EXCEEDED",
  "MAX_DIRECTIVES_EXCEEDED",
  "MAX_TOKENS_EXCEEDED",
  "MAX_COST_EXCEEDED",
] as const;

function limitError(code: (typeof LIMIT_CODES)[number], message: string, limit: number) {
  return new GraphQLError(message, { extensions: { code, limit, http: { status: 400 } } });
}

/** graphql-armor reports through callbacks; ours attach the limit's own code. */
function reportAs(code: (typeof LIMIT_CODES)[number], what: string, limit: number) {
  return {
    n: limit,
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null) =>
        context?.reportError(limitError(code, `${what} exceeds the limit of ${limit}`, limit)),
    ],
  };
}

/** An operation of a kind the schema has no root type for (subscriptions here). */
const knownOperationType: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (!context.getSchema().getRootType(node.operation)) {
      context.reportError(
        new GraphQLError(`This API has no ${node.operation} operations`, { nodes: [node] }),
      );
    }
  },
});

function hasNul(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === "string") {
      if (value.includes("\u0000")) return true;
    } else if (value && typeof value === "object") {
      for (const item of Object.values(value as Record<string, unknown>)) stack.push(item);
    }
  }
  return false;
}

/** Whether a document's string literals hold U+0000; per document, which Apollo reuses. */
const literalsWithNul = new WeakMap<DocumentNode, boolean>();

function literalHasNul(document: DocumentNode): boolean {
  let found = literalsWithNul.get(document);
  if (found === undefined) {
    found = false;
    visit(document, {
      StringValue(node) {
        if (node.value.includes("\u0000")) found = true;
      },
    });
    literalsWithNul.set(document, found);
  }
  return found;
}

/** Postgres text cannot hold U+0000: refuse it in any string argument before anything runs. */
export const nulPlugin: ApolloServerPlugin = {
  requestDidStart: () =>
    Promise.resolve({
      didResolveOperation({ request, document }) {
        if (hasNul(request.variables ?? {}) || literalHasNul(document)) {
          throw new GraphQLError("Strings may not contain the character U+0000", {
            extensions: { code: "BAD_USER_INPUT", http: { status: 400 } },
          });
        }
        return Promise.resolve();
      },
    }),
};

export function limitRules(limits: Limits): ValidationRule[] {
  return [
    knownOperationType,
    maxDepthRule({
      ...reportAs("MAX_DEPTH_EXCEEDED", "Query depth", limits.maxDepth),
      flattenFragments: true,
    }),
    maxAliasesRule(reportAs("MAX_ALIASES_EXCEEDED", "Number of aliases", limits.maxAliases)),
    maxDirectivesRule(
      reportAs("MAX_DIRECTIVES_EXCEEDED", "Number of directives", limits.maxDirectives),
    ),
  ];
}

/**
 * A field costs 1 plus what it contains; a list multiplies what it contains by its size: the
 * `first` argument where there is one (connections default to 20), else `assumedListSize`.
 */
function listAwareEstimator(limits: Limits): ComplexityEstimator {
  return ({ field, args, childComplexity }) => {
    const page = field.args.find((arg) => arg.name === "first");
    if (page) {
      const size = typeof args.first === "number" ? args.first : Number(page.defaultValue ?? 20);
      return 1 + Math.max(size, 1) * childComplexity;
    }
    if (isListType(getNullableType(field.type)))
      return 1 + limits.assumedListSize * childComplexity;
    return 1 + childComplexity;
  };
}

/** Costs already computed, per document (Apollo reuses one per query text) and variables. */
const COSTS_PER_DOCUMENT = 256;

/** Checks the cost once the operation and its variables are known. */
export function costLimitPlugin(limits: Limits): ApolloServerPlugin {
  const estimators = [listAwareEstimator(limits)];
  const known = new WeakMap<DocumentNode, Map<string, number>>();
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation({ request, document, schema }) {
          let costs = known.get(document);
          // Variables too deep to serialise have no key: their cost is computed, not stored.
          let key: string | undefined;
          try {
            key = `${request.operationName ?? ""}\n${JSON.stringify(request.variables ?? {})}`;
          } catch {
            key = undefined;
          }
          let cost = key === undefined ? undefined : costs?.get(key);
          if (cost === undefined) {
            try {
              cost = getComplexity({
                schema,
                query: document,
                variables: request.variables ?? {},
                operationName: request.operationName ?? undefined,
                estimators,
              });
            } catch {
              // Variables that do not fit their types: execution refuses them next, with
              // Apollo's own BAD_USER_INPUT error naming the variable.
              return Promise.resolve();
            }
            if (key !== undefined) {
              if (!costs || costs.size >= COSTS_PER_DOCUMENT)
                known.set(document, (costs = new Map<string, number>()));
              costs.set(key, cost);
            }
          }
          if (cost > limits.maxCost) {
            throw limitError(
              "MAX_COST_EXCEEDED",
              `Query cost ${cost} exceeds the limit of ${limits.maxCost}: ask for smaller pages (first) or fewer nested lists`,
              limits.maxCost,
            );
          }
          return Promise.resolve();
        },
      }),
  };
}
