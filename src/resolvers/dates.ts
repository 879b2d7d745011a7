/**
 * The `Date` scalar: graphql-scalars' RFC 3339 `full-date` (its serialisation as it is, its
 * description the one schema.graphql gives: ./scalars.ts), restricted on input to the dates
 * Accord can store. RFC 3339 allows the year 0000, Postgres's `date` has no year 0 (1 BC is
 * followed by AD 1), and the format has four digits: years run from 0001 to 9999. A date
 * outside that range is the client's mistake, refused as BAD_USER_INPUT before anything
 * reaches the database.
 */
import { GraphQLError, GraphQLScalarType, type ValueNode } from "graphql";
import { DateResolver } from "graphql-scalars";
import { declaredScalar } from "./scalars.js";

export const MIN_YEAR = 1;
export const MAX_YEAR = 9999;

function storable(date: unknown, node?: ValueNode): Date {
  const year = date instanceof Date ? date.getUTCFullYear() : Number.NaN;
  if (!(year >= MIN_YEAR && year <= MAX_YEAR)) {
    const shown =
      date instanceof Date && !Number.isNaN(year) ? date.toISOString().slice(0, 10) : String(date);
    throw new GraphQLError(
      `Date cannot represent ${shown}: years run from 0001 to 9999 (there is no year 0000)`,
      { nodes: node, extensions: { code: "BAD_USER_INPUT", min: "0001-01-01", max: "9999-12-31" } },
    );
  }
  return date as Date;
}

const config = DateResolver.toConfig();

export const DateScalar: GraphQLScalarType = declaredScalar("Date", {
  ...config,
  parseValue: (value) => storable(config.parseValue(value)),
  parseLiteral: (node, variables) => storable(config.parseLiteral(node, variables), node),
});
