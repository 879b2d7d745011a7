import type { CodegenConfig } from "@graphql-codegen/cli";

// Resolver types generated from schema.graphql. Parents are Prisma's model types, so a
// resolver that returns a database row type-checks against the field it resolves.
const model = (name: string) => `./prisma/client.js#${name}`;

const config: CodegenConfig = {
  schema: "schema.graphql",
  generates: {
    "src/generated/graphql.ts": {
      plugins: ["typescript", "typescript-resolvers"],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        contextType: "../context.js#Context",
        mapperTypeSuffix: "Model",
        mappers: {
          Article: model("Article"),
          Visit: model("Visit"),
          Participant: model("VisitParticipant"),
          Agreement: model("Agreement"),
          Outcome: model("Outcome"),
          Actor: model("Actor"),
          Citation: model("Citation"),
          Mention: model("Mention"),
          Revision: model("Revision"),
        },
        scalars: { Date: "Date", DateTime: "Date", JSON: "unknown" },
        resolversNonOptionalTypename: false,
      },
    },
  },
};

export default config;
