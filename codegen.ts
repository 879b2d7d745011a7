import type { CodegenConfig } from "@graphql-codegen/cli";
import { NODE_TYPES, NODES } from "./src/registry.js";

// Resolver types generated from schema.graphql. Parents are Prisma's model types, so a
// resolver that returns a database row type-checks against the field it resolves.
const model = (name: string) => `./prisma/client.js#${name}`;

const config: CodegenConfig = {
  schema: "schema.graphql",
  // Node ESM: relative imports in generated files end in `.js`.
  emitLegacyCommonJSImports: false,
  generates: {
    "src/generated/graphql.ts": {
      plugins: ["typescript", "typescript-resolvers"],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        contextType: "../context.js#Context",
        mapperTypeSuffix: "Model",
        mappers: {
          // Each Node type's parent is its registry model (src/registry.ts)...
          ...Object.fromEntries(NODE_TYPES.map((type) => [type, model(NODES[type].model)])),
          // ...but lists load articles without their body: see ArticleRow.
          Article: "../read/loaders.js#ArticleRow",
          Participant: model("VisitParticipant"),
          PreviewMention: "../import/preview.js#PreviewMentionRow",
        },
        scalars: { Date: "Date", DateTime: "Date", JSON: "unknown" },
        resolversNonOptionalTypename: false,
      },
    },
    // The operations the frontends ship, as typed documents (`ArticlePageDocument` etc.):
    // the result and variables types of each come from the schema, so a schema change that
    // breaks a frontend's operation fails `tsc` here. Types describe the JSON on the wire.
    "src/generated/operations/": {
      documents: "tests/contract/operations/**/*.graphql",
      preset: "client",
      presetConfig: {
        // Whole result types: the operations are the contract as shipped, not fragments
        // colocated with components, so nothing is gained by hiding fragment fields.
        fragmentMasking: false,
        // persisted-documents.json, hash -> document text: the manifest a server run with
        // ACCORD_TRUSTED_DOCUMENTS executes alone (src/trusted.ts). sha256 of the printed
        // text, so a key's hex digits are also Apollo's APQ `sha256Hash` for the document.
        persistedDocuments: { hashAlgorithm: "sha256" },
      },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { Date: "string", DateTime: "string", JSON: "unknown" },
      },
    },
  },
};

export default config;
