/**
 * The resolver map: one module per type of schema.graphql that needs more than the
 * conventions (./conventions.ts) give every type: ids and references by key.
 */
import { DateTimeResolver, JSONResolver } from "graphql-scalars";
import type { Resolvers } from "../generated/graphql.js";
import { Actor } from "./Actor.js";
import { Agreement } from "./Agreement.js";
import { Article } from "./Article.js";
import { DateScalar } from "./dates.js";
import { declaredScalar } from "./scalars.js";
import { Node } from "./Node.js";
import { Outcome } from "./Outcome.js";
import { Mutation } from "./Mutation.js";
import { Query } from "./Query.js";
import { schemaDocument } from "../schema.js";
import { withConventions } from "./conventions.js";
import { Visit } from "./Visit.js";

export const resolvers: Resolvers = withConventions(
  {
    Date: DateScalar,
    DateTime: declaredScalar("DateTime", DateTimeResolver.toConfig()),
    JSON: declaredScalar("JSON", JSONResolver.toConfig()),
    Node,
    Query,
    Mutation,
    Article,
    Visit,
    Agreement,
    Outcome,
    Actor,
  },
  schemaDocument(),
);
