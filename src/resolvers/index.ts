/** The resolver map: one module per type of schema.graphql. */
import { DateTimeResolver, JSONResolver } from "graphql-scalars";
import type { Resolvers } from "../generated/graphql.js";
import { Actor } from "./Actor.js";
import { Agreement } from "./Agreement.js";
import { Article } from "./Article.js";
import { Citation, Mention } from "./Citation.js";
import { DateScalar } from "./dates.js";
import { Node } from "./Node.js";
import { Outcome } from "./Outcome.js";
import { Mutation } from "./Mutation.js";
import { Query } from "./Query.js";
import { Revision } from "./Revision.js";
import { Participant, Visit } from "./Visit.js";

export const resolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeResolver,
  JSON: JSONResolver,
  Node,
  Query,
  Mutation,
  Article,
  Visit,
  Participant,
  Agreement,
  Outcome,
  Actor,
  Citation,
  Mention,
  Revision,
};
