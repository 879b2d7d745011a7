/**
 * Accord's explorer: GraphiQL with everything it needs bundled in (code, styles, fonts), so it
 * works on networks without internet access, where Apollo Sandbox cannot load. It sends
 * operations to the GraphQL endpoint of the server that serves it.
 */
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import "graphiql/style.css";
import "./page.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

// Set by build.ts: the ArticlePage contract operation and variables that find the seeded article.
declare const ACCORD_DEFAULT_QUERY: string;
declare const ACCORD_DEFAULT_VARIABLES: string;

// The page lives at <prefix>/explorer/, the endpoint at <prefix>/graphql: resolving against the
// page keeps both working behind a reverse proxy that adds a path prefix.
const fetcher = createGraphiQLFetcher({ url: new URL("../graphql", window.location.href).href });

// GraphiQL 4 puts `defaultTabs`' query in the editor but not its variables, so they are passed
// as the `variables` prop, on the first visit only: later visits keep what the user typed.
const visitedKey = "accord-explorer:visited";
function firstVisit(): boolean {
  try {
    const first = window.localStorage.getItem(visitedKey) === null;
    window.localStorage.setItem(visitedKey, "1");
    return first;
  } catch {
    return true; // storage disabled: GraphiQL keeps nothing either
  }
}
const initialVariables = firstVisit() ? ACCORD_DEFAULT_VARIABLES : undefined;

const container = document.getElementById("explorer");
if (!container) throw new Error("The explorer page has no #explorer element");

createRoot(container).render(
  <StrictMode>
    <GraphiQL
      fetcher={fetcher}
      // Used only until the browser has tabs of its own stored: a user's work is kept.
      defaultTabs={[{ query: ACCORD_DEFAULT_QUERY, variables: ACCORD_DEFAULT_VARIABLES }]}
      variables={initialVariables}
      defaultEditorToolsVisibility="variables"
    />
  </StrictMode>,
);
