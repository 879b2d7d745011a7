import js from "@eslint/js";
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";
import graphql from "@graphql-eslint/eslint-plugin";

export default tseslint.config(
  {
    ignores: [
      "node_modules",
      "src/generated",
      "dist",
      "data",
      "bench/node_modules",
      "explorer/dist",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["*.js"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    // Tests read untyped JSON responses and assert on their shape.
    files: ["tests/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  // GraphQL: the schema and the contract operations the frontends ship. The operations are
  // checked against the schema (graphQLConfig), so a schema change that breaks one fails lint.
  {
    files: ["**/*.graphql"],
    languageOptions: {
      parser: graphql.parser,
      parserOptions: {
        graphQLConfig: {
          schema: "schema.graphql",
          documents: "tests/contract/operations/**/*.graphql",
        },
      },
    },
    plugins: { "@graphql-eslint": graphql },
    // The TypeScript blocks above apply to every file; their typed rules cannot run on GraphQL.
    rules: tseslint.configs.disableTypeChecked.rules,
  },
  {
    files: ["schema.graphql"],
    rules: {
      ...graphql.configs["flat/schema-recommended"].rules,
      ...graphql.configs["flat/schema-relay"].rules,
      // One-line "strings" for short descriptions, """blocks""" for long ones: the rule
      // would force one kind everywhere.
      "@graphql-eslint/description-style": "off",
      // Described, for readers in Apollo Sandbox: every type, field, argument, input field and
      // enum value, the Relay wrappers and the Query and Mutation fields included.
      // (FieldDefinition covers the root fields: the preset's `rootField` option matches no
      // field in a schema with two root types.)
      "@graphql-eslint/require-description": [
        "error",
        {
          types: true,
          DirectiveDefinition: true,
          FieldDefinition: true,
          InputValueDefinition: true,
          EnumValueDefinition: true,
        },
      ],
      // Values without an identity of their own (a preview's parts, an article's source), API keys
      // (named, and no part of the record), and the Relay wrappers.
      "@graphql-eslint/strict-id-in-types": [
        "error",
        {
          exceptions: {
            types: [
              "ApiKey",
              "ArticlePreview",
              "ArticleSource",
              "BodyPassage",
              "CreatedApiKey",
              "FrontMatter",
              "PageInfo",
              "Paragraph",
              "Participant",
              "PreviewMention",
              "PreviewParagraph",
              "SearchResult",
              "SourcePassage",
              "Suggestion",
            ],
            suffixes: ["Connection", "Edge"],
          },
        },
      ],
      // Connections page forward only (keyset cursors, `first`/`after`): no `last`/`before`,
      // no `hasPreviousPage`/`startCursor`. Plain lists of objects are allowed beside them.
      "@graphql-eslint/relay-arguments": ["error", { includeBoth: false }],
      "@graphql-eslint/relay-page-info": "off",
      "@graphql-eslint/relay-edge-types": ["error", { listTypeCanWrapOnlyEdgeType: false }],
    },
  },
  {
    files: ["tests/contract/operations/**/*.graphql"],
    rules: {
      ...graphql.configs["flat/operations-recommended"].rules,
      // One operation per file, named as the file: typed documents are `<File>Document`.
      "@graphql-eslint/match-document-filename": [
        "error",
        { fileExtension: ".graphql", query: "PascalCase", mutation: "PascalCase" },
      ],
    },
  },
  prettier,
);
