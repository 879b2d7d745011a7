/**
 * The errors Accord sends, each with its `extensions.code`. Resolvers throw these; anything
 * else that escapes is an internal error and is masked before it reaches a client.
 */
import { GraphQLError } from "graphql";

export type ErrorCode =
  "BAD_USER_INPUT" | "NOT_FOUND" | "UNAUTHENTICATED" | "FORBIDDEN" | "CONFLICT";

export function accordError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
) {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/** Bad input, naming the argument (`argumentName`, e.g. `first` or `input.name`). */
export function badInput(
  argumentName: string,
  message: string,
  extensions: Record<string, unknown> = {},
) {
  return accordError("BAD_USER_INPUT", `${argumentName}: ${message}`, {
    argumentName,
    ...extensions,
  });
}
