/**
 * What one request may ask for. Each limit is checked before any resolver runs and refuses
 * with its own error code, so a client can tell which one it hit:
 * MAX_DEPTH_EXCEEDED, MAX_ALIASES_EXCEEDED, MAX_DIRECTIVES_EXCEEDED (validation rules from
 * graphql-armor), MAX_TOKENS_EXCEEDED (graphql-js's own parser limit) and MAX_COST_EXCEEDED
 * (the schema's `@cost` and `@listSize` directives: see src/cost.ts).
 */
import type {
  ApolloServerPlugin,
  BaseContext,
  GraphQLRequest,
  GraphQLRequestListener,
} from "@apollo/server";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import {
  BREAK,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getOperationAST,
  GraphQLError,
  GraphQLInt,
  GraphQLString,
  type GraphQLSchema,
  Kind,
  OperationTypeNode,
  type SelectionSetNode,
  type ValueNode,
  valueFromAST,
  type ValidationContext,
  type ValidationRule,
  visit,
} from "graphql";
import { LRUCache } from "lru-cache";
import type { Limits } from "./config.js";
import { queryCost, variablesWithDefaults } from "./cost.js";
import { pageRequest, type PageArgs } from "./read/pagination.js";
import { isWellFormed } from "./text/rules.js";

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

/** Longest `operationName` accepted: operation names are identifiers, not payloads. */
export const MAX_OPERATION_NAME_LENGTH = 256;

type InputLimits = Pick<Limits, "maxStringLength" | "maxListLength">;

/** A refused input value: the argument or variable path it was found at, and why. */
interface Refusal {
  where: string;
  message: string;
  limit?: number;
}

/** Why a string may not be used as input, or null: too long, U+0000, or a lone surrogate. */
function stringProblem(value: string, limits: InputLimits): Omit<Refusal, "where"> | null {
  if (value.length > limits.maxStringLength) {
    return {
      message: `strings may be at most ${limits.maxStringLength} characters long; this one has ${value.length}`,
      limit: limits.maxStringLength,
    };
  }
  // Postgres text cannot hold U+0000.
  if (value.includes("\u0000")) return { message: "strings may not contain the character U+0000" };
  if (!isWellFormed(value)) {
    return {
      message:
        "strings must be well-formed UTF-16; this one has a lone surrogate (half a character)",
    };
  }
  return null;
}

function listProblem(length: number, limits: InputLimits): Omit<Refusal, "where"> | null {
  return length > limits.maxListLength
    ? {
        message: `lists may hold at most ${limits.maxListLength} items; this one has ${length}`,
        limit: limits.maxListLength,
      }
    : null;
}

interface Step {
  value: unknown;
  key: string | number;
  parent: Step | null;
}

/** `$input.authorIds[3]`: computed only for the value refused. */
function pathOf(step: Step): string {
  let path = "";
  for (let at: Step | null = step; at; at = at.parent) {
    path =
      typeof at.key === "number"
        ? `[${at.key}]${path}`
        : at.parent
          ? `.${at.key}${path}`
          : `$${at.key}${path}`;
  }
  return path;
}

/** The first variable value over a limit, in one walk without recursion. */
function checkVariables(variables: Record<string, unknown>, limits: InputLimits): Refusal | null {
  const stack: Step[] = Object.entries(variables).map(([key, value]) => ({
    value,
    key,
    parent: null,
  }));
  while (stack.length > 0) {
    const step = stack.pop()!;
    const { value } = step;
    if (typeof value === "string") {
      const problem = stringProblem(value, limits);
      if (problem) return { where: pathOf(step), ...problem };
    } else if (Array.isArray(value)) {
      const problem = listProblem(value.length, limits);
      if (problem) return { where: pathOf(step), ...problem };
      value.forEach((item: unknown, key) => stack.push({ value: item, key, parent: step }));
    } else if (value && typeof value === "object") {
      for (const [key, item] of Object.entries(value))
        stack.push({ value: item, key, parent: step });
    }
  }
  return null;
}

/**
 * The first literal over a limit, named `field(argument.path)` (`createActor(input.aliases)`),
 * or `$variable` for a variable's default value.
 */
function checkLiterals(document: DocumentNode, limits: InputLimits): Refusal | null {
  let refusal: Refusal | null = null;
  const checkValue = (node: ValueNode, where: string): Refusal | null => {
    if (node.kind === Kind.STRING) {
      const problem = stringProblem(node.value, limits);
      return problem && { where, ...problem };
    }
    if (node.kind === Kind.LIST) {
      const problem = listProblem(node.values.length, limits);
      if (problem) return { where, ...problem };
      for (const [i, item] of node.values.entries()) {
        const found = checkValue(item, `${where}[${i}]`);
        if (found) return found;
      }
    }
    if (node.kind === Kind.OBJECT) {
      for (const field of node.fields) {
        const found = checkValue(field.value, `${where}.${field.name.value}`);
        if (found) return found;
      }
    }
    return null;
  };
  const checkArguments = (node: FieldNode | DirectiveNode, name: string) => {
    for (const argument of node.arguments ?? []) {
      const found = refusal ? null : checkValue(argument.value, argument.name.value);
      if (found) refusal = { ...found, where: `${name}(${found.where})` };
    }
    return refusal ? BREAK : undefined;
  };
  visit(document, {
    VariableDefinition(node) {
      if (node.defaultValue)
        refusal = checkValue(node.defaultValue, `$${node.variable.name.value}`);
      return refusal ? BREAK : undefined;
    },
    Field: (node) => checkArguments(node, node.name.value),
    Directive: (node) => checkArguments(node, `@${node.name.value}`),
  });
  return refusal;
}

function refuse({ where, message, limit }: Refusal): GraphQLError {
  return new GraphQLError(`${where}: ${message}`, {
    extensions: {
      code: "BAD_USER_INPUT",
      argumentName: where,
      ...(limit === undefined ? {} : { limit }),
      http: { status: 400 },
    },
  });
}

/**
 * Input every operation must respect, checked once the operation is known and before
 * anything runs: `operationName` at most MAX_OPERATION_NAME_LENGTH characters (BAD_REQUEST);
 * every string argument, variable or literal, at most `maxStringLength` characters, without
 * U+0000 and well-formed UTF-16; every list argument at most `maxListLength` items (each
 * BAD_USER_INPUT, naming where). Literals are checked once per document (Apollo reuses one
 * per query text; the memo dies with it), variables on every request, in one linear walk.
 * The memo is as bounded as the documents: Apollo 5's default document store is an LRU of
 * 30 MiB, each document sized by its JSON.
 */
function inputChecker(limits: InputLimits) {
  const literals = new WeakMap<DocumentNode, Refusal | null>();
  return (request: GraphQLRequest, document: DocumentNode): void => {
    const name = request.operationName;
    if (typeof name === "string" && name.length > MAX_OPERATION_NAME_LENGTH) {
      throw new GraphQLError(
        `operationName may be at most ${MAX_OPERATION_NAME_LENGTH} characters long; this one has ${name.length}`,
        {
          extensions: {
            code: "BAD_REQUEST",
            limit: MAX_OPERATION_NAME_LENGTH,
            http: { status: 400 },
          },
        },
      );
    }
    let literal = literals.get(document);
    if (literal === undefined) literals.set(document, (literal = checkLiterals(document, limits)));
    const refusal = literal ?? checkVariables(request.variables ?? {}, limits);
    if (refusal) throw refuse(refusal);
  };
}

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
 * Costs already computed, by query text (its hash), operation and variables: one LRU bounded
 * in bytes for the whole process, since every request can add a key as long as its variables.
 */
const COST_CACHE_BYTES = 4_000_000;

/** Checks the cost once the operation and its variables are known. */
function costChecker(limits: Limits) {
  const known = new LRUCache<string, number>({
    maxSize: COST_CACHE_BYTES,
    // A key is counted at 2 bytes a character (V8's widest strings) plus the entry's upkeep.
    sizeCalculation: (_cost, key) => 2 * key.length + 100,
  });
  return (
    request: GraphQLRequest,
    document: DocumentNode,
    schema: GraphQLSchema,
    queryHash: string,
  ): void => {
    // Variables too deep to serialise have no key: their cost is computed, not stored.
    let key: string | undefined;
    try {
      key = `${queryHash}\n${request.operationName ?? ""}\n${JSON.stringify(request.variables ?? {})}`;
    } catch {
      key = undefined;
    }
    let cost = key === undefined ? undefined : known.get(key);
    if (cost === undefined) {
      try {
        cost = queryCost(
          schema,
          document,
          request.variables ?? {},
          request.operationName ?? undefined,
        );
      } catch (error) {
        // Variables that do not fit their types: execution refuses them next, with
        // Apollo's own BAD_USER_INPUT error naming the variable, before any resolver
        // runs. Anything else (fragments spread into more fields than the estimator
        // walks, a list the schema gives no size) is a query with no known bound,
        // which is refused: it must never run unpriced.
        if (error instanceof GraphQLError && error.message.startsWith('Variable "$')) return;
        throw limitError(
          "MAX_COST_EXCEEDED",
          `The cost of this query cannot be bounded (${error instanceof Error ? error.message : "no estimate"}): use fewer fields and fragment spreads`,
          limits.maxCost,
        );
      }
      if (key !== undefined) known.set(key, cost);
    }
    if (cost > limits.maxCost) {
      throw limitError(
        "MAX_COST_EXCEEDED",
        `Query cost ${cost} exceeds the limit of ${limits.maxCost}: ask for smaller pages (first or last) or fewer nested lists`,
        limits.maxCost,
      );
    }
  };
}

const PAGE_ARGUMENTS = ["first", "after", "last", "before"] as const;

/** A field's paging arguments, refused as its resolver would refuse them (`pageRequest`). */
function checkPageArguments(field: FieldNode, variables: Record<string, unknown>): void {
  const given = field.arguments?.filter((argument) =>
    (PAGE_ARGUMENTS as readonly string[]).includes(argument.name.value),
  );
  if (!given?.length) return;
  const args: PageArgs = {};
  for (const argument of given) {
    const name = argument.name.value as (typeof PAGE_ARGUMENTS)[number];
    const type = name === "first" || name === "last" ? GraphQLInt : GraphQLString;
    const value: unknown = valueFromAST(argument.value, type, variables);
    (args as Record<string, unknown>)[name] = value ?? null;
  }
  try {
    pageRequest(args);
  } catch (error) {
    const refusal = error as GraphQLError;
    const named = given.find((argument) => argument.name.value === refusal.extensions.argumentName);
    throw new GraphQLError(refusal.message, {
      nodes: named ?? field,
      extensions: { ...refusal.extensions, http: { status: 400 } },
    });
  }
}

/**
 * Every `first` and `last` in a mutation's selection (with the cursors given with them),
 * checked before the mutation runs: its answer is read after the commit, and a page size out
 * of range or a mix of directions found only then would answer a change that stands with an
 * error in place of its data, which a client would take for a refusal and send again. Each
 * fragment is walked once.
 */
function checkMutationPageSizes(request: GraphQLRequest, document: DocumentNode): void {
  const operation = getOperationAST(document, request.operationName);
  if (operation?.operation !== OperationTypeNode.MUTATION) return;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  }
  const variables = variablesWithDefaults(document, request.operationName, request.variables ?? {});
  const walked = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !walked.has(fragment.name.value)) {
          walked.add(fragment.name.value);
          walk(fragment.selectionSet);
        }
        continue;
      }
      if (selection.kind === Kind.FIELD) checkPageArguments(selection, variables);
      if (selection.selectionSet) walk(selection.selectionSet);
    }
  };
  walk(operation.selectionSet);
}

/**
 * The checks of a request's cost and input (above), in one hook: they run on every request,
 * and each plugin hook Apollo awaits costs the hot path a turn of promises.
 */
export function requestLimitsPlugin(limits: Limits): ApolloServerPlugin {
  const checkCost = costChecker(limits);
  const checkInput = inputChecker(limits);
  const hooks: GraphQLRequestListener<BaseContext> = {
    didResolveOperation({ request, document, schema, queryHash }) {
      checkCost(request, document, schema, queryHash);
      checkInput(request, document);
      checkMutationPageSizes(request, document);
      return Promise.resolve();
    },
  };
  return { requestDidStart: () => Promise.resolve(hooks) };
}
