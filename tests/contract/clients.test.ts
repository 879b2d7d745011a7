/**
 * The common clients, as a frontend sets them up with their defaults (README, "Clients"):
 * each runs a contract operation against the server and gets exactly what a plain POST gets.
 * Apollo Client also pages a connection both ways with `relayStylePagination`.
 */
import { describe, expect, it } from "@jest/globals";
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { addTypenameToDocument, relayStylePagination } from "@apollo/client/utilities";
import { parse, print } from "graphql";
import { Client as UrqlClient, cacheExchange, fetchExchange } from "@urql/core";
import { GraphQLClient } from "graphql-request";
import { operation } from "../support/server.js";
import { forSuite } from "../support/suite.js";
import { startTestServer } from "../support/server.js";

const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";

describe("Common clients with their defaults", () => {
  const server = forSuite(() => startTestServer());
  const articlePage = operation("ArticlePage");
  /** The document as these clients send it: with `__typename` on every selection. */
  const withTypenames = print(addTypenameToDocument(parse(articlePage)));

  it("Apollo Client runs a contract operation as a plain POST does", async () => {
    const expected = await server.graphql(withTypenames, { slug: SLUG });
    const client = new ApolloClient({
      link: new HttpLink({ uri: server.url }),
      cache: new InMemoryCache(),
    });
    const { data } = await client.query({ query: gql(articlePage), variables: { slug: SLUG } });
    expect(data).toEqual(expected.data);
  });

  it("Apollo Client's relayStylePagination pages a connection forward and backward", async () => {
    const names = async (args: string) =>
      (
        (await server.graphql(`{ actors(${args}) { edges { node { name } } } }`)).data as {
          actors: { edges: { node: { name: string } }[] };
        }
      ).actors.edges.map((edge) => edge.node.name);
    const client = () =>
      new ApolloClient({
        link: new HttpLink({ uri: server.url }),
        cache: new InMemoryCache({
          typePolicies: {
            Query: { fields: { actors: relayStylePagination(["filter", "orderBy"]) } },
          },
        }),
      });
    const page = gql`
      query Actors($first: Int, $after: String, $last: Int, $before: String) {
        actors(first: $first, after: $after, last: $last, before: $before) {
          edges {
            node {
              id
              name
            }
          }
          pageInfo {
            hasNextPage
            hasPreviousPage
            startCursor
            endCursor
          }
        }
      }
    `;
    type Page = {
      actors: {
        edges: { node: { name: string } }[];
        pageInfo: { startCursor: string; endCursor: string };
      };
    };
    const forward = client();
    const first = await forward.query<Page>({ query: page, variables: { first: 2 } });
    const more = await forward.query<Page>({ query: page, variables: { first: 2 } });
    expect(more.data).toEqual(first.data);
    const merged = async (apollo: ApolloClient, variables: object, more: object) => {
      const watched = apollo.watchQuery<Page>({ query: page, variables });
      const subscription = watched.subscribe(() => undefined);
      await watched.fetchMore({ variables: more });
      subscription.unsubscribe();
      const read = apollo.readQuery<Page>({ query: page, variables });
      return read!.actors.edges.map((edge) => edge.node.name);
    };
    expect(
      await merged(forward, { first: 2 }, { after: first.data!.actors.pageInfo.endCursor }),
    ).toEqual(await names("first: 4"));

    const backward = client();
    const last = await backward.query<Page>({ query: page, variables: { last: 2 } });
    expect(
      await merged(
        backward,
        { last: 2 },
        { last: 2, before: last.data!.actors.pageInfo.startCursor },
      ),
    ).toEqual(await names("last: 4"));
  });

  it("urql reads with GET, without a preflight header, and gets what a POST gets", async () => {
    const expected = await server.graphql(withTypenames, { slug: SLUG });
    const methods: string[] = [];
    const client = new UrqlClient({
      url: server.url,
      exchanges: [cacheExchange, fetchExchange],
      fetch: (input, init) => {
        methods.push(init?.method ?? "GET");
        return fetch(input, init);
      },
    });
    const result = await client.query(articlePage, { slug: SLUG }).toPromise();
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual(expected.data);
    expect(methods).toEqual(["GET"]);
  });

  it("graphql-request runs a query, and a mutation with a key in Authorization", async () => {
    const expected = await server.graphql(articlePage, { slug: SLUG });
    expect(await new GraphQLClient(server.url).request(articlePage, { slug: SLUG })).toEqual(
      expected.data,
    );
    const editor = await server.keyFor("EDITOR");
    const client = new GraphQLClient(server.url, { headers: editor });
    const created = await client.request<{ createActor: { name: string } }>(
      `mutation { createActor(input: { name: "Client Test Actor", kind: PERSON, editorialNote: "A test actor." }) { name } }`,
    );
    expect(created).toEqual({ createActor: { name: "Client Test Actor" } });
  });
});
