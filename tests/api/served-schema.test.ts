/**
 * The schema a client introspects is schema.graphql, word for word: every description, the
 * custom scalars' included (their behaviour comes from graphql-scalars, what they say from the
 * file), and in federation mode `_service { sdl }` says the same as the file and as
 * introspection, federation's own directives and types aside.
 */
import { describe, expect, it } from "@jest/globals";
import {
  assertObjectType,
  buildASTSchema,
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  GraphQLObjectType,
  parse,
  printSchema,
  printType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from "graphql";
import { typeDefs } from "../../src/server.js";
import { forSuite } from "../support/suite.js";
import { startTestServer, type TestServer } from "../support/server.js";

const INTROSPECTION = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
});

const file = buildSchema(typeDefs);

async function introspect(server: TestServer): Promise<GraphQLSchema> {
  const { status, data, errors } = await server.graphql<IntrospectionQuery>(INTROSPECTION);
  expect({ status, errors }).toEqual({ status: 200, errors: undefined });
  return buildClientSchema(data!);
}

/** The fields federation adds to the query type: not in the file. */
const FEDERATION_QUERY_FIELDS = ["_entities", "_service"];

/**
 * Type `name` of `schema` printed as the file would print it (descriptions, fields, arguments,
 * defaults, deprecations, `@specifiedBy`), the query type without federation's fields.
 */
function printed(schema: GraphQLSchema, name: string): string | undefined {
  const type: GraphQLNamedType | undefined = schema.getType(name);
  if (!type || type !== schema.getQueryType()) return type && printType(type);
  const config = assertObjectType(type).toConfig();
  const fields = Object.fromEntries(
    Object.entries(config.fields).filter(([field]) => !FEDERATION_QUERY_FIELDS.includes(field)),
  );
  return printType(new GraphQLObjectType({ ...config, fields }));
}

/** The file's named types, each as `schema` prints it. */
function fileTypesIn(schema: GraphQLSchema): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.keys(file.getTypeMap())
      .filter((name) => !name.startsWith("__"))
      .map((name) => [name, printed(schema, name)]),
  );
}

const SCALARS = ["Date", "DateTime", "JSON"];

describe("The served schema: standalone", () => {
  const server = forSuite(() => startTestServer({ seeded: false }));

  it("introspects as schema.graphql, printed the same to the character", async () => {
    const served = await introspect(server);
    expect(printSchema(served)).toBe(printSchema(file));
  });

  it("describes the custom scalars in the file's words, with no specifiedBy the file lacks", async () => {
    const served = await introspect(server);
    const said = (schema: GraphQLSchema) =>
      SCALARS.map((name) => {
        const type = schema.getType(name) as { description?: unknown; specifiedByURL?: unknown };
        // buildClientSchema gives null where buildSchema leaves undefined.
        return {
          name,
          description: type.description ?? null,
          specifiedByURL: type.specifiedByURL ?? null,
        };
      });
    expect(said(served)).toEqual(said(file));
    expect(said(file).every((s) => typeof s.description === "string")).toBe(true);
  });
});

describe("The served schema: federation", () => {
  const server = forSuite(() =>
    startTestServer({ seeded: false, env: { ACCORD_FEDERATION: "true" } }),
  );

  async function subgraphSdl(): Promise<GraphQLSchema> {
    const { data, errors } = await server.graphql<{ _service: { sdl: string } }>(
      `{ _service { sdl } }`,
    );
    expect(errors).toBeUndefined();
    // The subgraph SDL applies federation's directives (@link, @key, @shareable, its own
    // @cost and @listSize) without defining them all: built as written, not validated.
    return buildASTSchema(parse(data!._service.sdl), { assumeValidSDL: true });
  }

  it("serves in _service { sdl } every type of the file as the file has it", async () => {
    expect(fileTypesIn(await subgraphSdl())).toEqual(fileTypesIn(file));
  });

  it("introspects every type of the file as the file has it", async () => {
    expect(fileTypesIn(await introspect(server))).toEqual(fileTypesIn(file));
  });

  it("adds to the file only federation's own types", async () => {
    const added = (schema: GraphQLSchema) =>
      Object.keys(schema.getTypeMap()).filter(
        (name) => !name.startsWith("__") && !file.getType(name),
      );
    const federationOwn = /^(_|link__|federation__|FieldSet$)/;
    for (const schema of [await subgraphSdl(), await introspect(server)]) {
      expect(added(schema).filter((name) => !federationOwn.test(name))).toEqual([]);
    }
  });

  it("describes the custom scalars alike in the SDL, in introspection and in the file", async () => {
    const [sdl, introspected] = [await subgraphSdl(), await introspect(server)];
    for (const name of SCALARS) {
      expect([printed(sdl, name), printed(introspected, name)]).toEqual([
        printed(file, name),
        printed(file, name),
      ]);
    }
  });
});
