/**
 * Accord's explorer: GraphiQL with everything it needs bundled in (code, styles, fonts), so it
 * works on networks without internet access, where Apollo Sandbox cannot load. It sends
 * operations to the GraphQL endpoint of the server that serves it, and lists the contract's
 * operations, each opening in a tab with example variables read from the server's record.
 */
import { createGraphiQLFetcher, type Fetcher } from "@graphiql/toolkit";
import { PlayIcon, useEditorContext, type GraphiQLPlugin } from "@graphiql/react";
import { GraphiQL } from "graphiql";
import "graphiql/style.css";
import "./page.css";
import { Kind, parse } from "graphql";
import { StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import type { ExplorerContract, ExplorerOperation } from "./operations.js";

// Set by build.ts: the contract operations and the query that reads their examples.
declare const ACCORD_CONTRACT: ExplorerContract;

// The page lives at <prefix>/explorer/, the endpoint at <prefix>/graphql: resolving against the
// page keeps both working behind a reverse proxy that adds a path prefix.
const endpoint = new URL("../graphql", window.location.href).href;
const send = createGraphiQLFetcher({ url: endpoint });

/**
 * GraphiQL reads a tab's operation name from its editor a moment after the tab changes, so an
 * Execute right after switching sends the previous tab's name with the new query, and the
 * server rightly answers "Unknown operation". A name the document does not define is replaced
 * by the document's only operation; with several, the server's answer stands.
 */
const fetcher: Fetcher = (params, options) => {
  let names: (string | undefined)[] = [];
  try {
    names = parse(params.query)
      .definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION)
      .map((definition) => definition.name?.value);
  } catch {
    // Not a document: the server says what is wrong with it.
  }
  const stale = params.operationName && !names.includes(params.operationName);
  return send(
    stale && names.length === 1 ? { ...params, operationName: names[0] } : params,
    options,
  );
};

/** How long the page waits for its examples before it opens without them. */
const EXAMPLES_TIMEOUT_MS = 5_000;
/** How long the page waits for GraphiQL's sidebar to open the operations pane. */
const PANE_WAIT_MS = 10_000;

/** The first object of each type the examples read, by type (null: none in the record). */
type Examples = { values: Record<string, Record<string, unknown> | null> } | { problem: string };

async function loadExamples(): Promise<Examples> {
  const query = ACCORD_CONTRACT.examplesQuery;
  if (!query) return { values: {} };
  try {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query, operationName: "ExplorerExamples" }),
      signal: AbortSignal.timeout(EXAMPLES_TIMEOUT_MS),
    });
    const body = (await response.json()) as {
      data?: Record<string, { edges: { node: Record<string, unknown> }[] } | null> | null;
      errors?: { message: string }[];
    };
    if (body.errors?.length || !body.data) {
      return { problem: body.errors?.[0]?.message ?? `the server answered ${response.status}` };
    }
    const values = Object.fromEntries(
      Object.entries(body.data).map(([type, list]) => [type, list?.edges[0]?.node ?? null]),
    );
    return { values };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * An operation's variables as JSON. A value that cannot be had is a string saying why, in
 * the variable's place: the operation then fails saying so, rather than with an empty input.
 */
function exampleVariables(operation: ExplorerOperation, examples: Examples): string {
  const variables: Record<string, unknown> = {};
  for (const [name, source] of Object.entries(operation.variables)) {
    if (source.kind === "value") variables[name] = source.value;
    else if (source.kind === "unknown") variables[name] = `<${source.why}>`;
    else if ("problem" in examples) {
      variables[name] = `<no example: the record could not be read: ${examples.problem}>`;
    } else {
      variables[name] =
        examples.values[source.type]?.[source.field] ??
        `<no example: the record holds no ${source.type} yet>`;
    }
  }
  return JSON.stringify(variables, null, 2);
}

interface Offered {
  name: string;
  description: string;
  query: string;
  variables: string;
}

/**
 * The list of contract operations. Choosing one switches to its tab (tabs are titled by
 * operation name) or opens a new one holding the operation and its example variables.
 */
function OperationsPane({ offered, problem }: { offered: Offered[]; problem?: string }) {
  const editor = useEditorContext({ nonNull: true });
  // addTab fills the new tab with the default query once React applies it; the operation is
  // written into the editors after that, when the new tab is the active one.
  const [opening, setOpening] = useState<{ operation: Offered; index: number } | null>(null);
  useEffect(() => {
    if (!opening || editor.activeTabIndex !== opening.index) return;
    if (!editor.queryEditor || !editor.variableEditor) return;
    editor.queryEditor.setValue(opening.operation.query);
    editor.variableEditor.setValue(opening.operation.variables);
    setOpening(null);
  }, [opening, editor]);

  const open = (operation: Offered) => {
    const index = editor.tabs.findIndex((tab) => tab.title === operation.name);
    if (index >= 0) {
      editor.changeTab(index);
      return;
    }
    setOpening({ operation, index: editor.tabs.length });
    editor.addTab();
  };

  return (
    <section className="accord-operations" aria-label="Contract operations">
      <div className="graphiql-doc-explorer-title">Contract operations</div>
      <p>The operations Accord&apos;s clients ship, with example variables from this record.</p>
      {problem && <p role="alert">The examples could not be read from the server: {problem}</p>}
      <ul>
        {offered.map((operation) => (
          <li key={operation.name}>
            <button type="button" onClick={() => open(operation)}>
              {operation.name}
            </button>
            {operation.description && <p>{operation.description}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}

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

/** Reads the examples (bounded by EXAMPLES_TIMEOUT_MS), then opens GraphiQL. */
async function start(container: HTMLElement) {
  const examples = await loadExamples();
  const offered: Offered[] = ACCORD_CONTRACT.operations.map((operation) => ({
    name: operation.name,
    description: operation.description,
    query: operation.query,
    variables: exampleVariables(operation, examples),
  }));
  const problem = "problem" in examples ? examples.problem : undefined;
  const operationsPlugin: GraphiQLPlugin = {
    title: "Contract operations",
    icon: PlayIcon,
    content: () => <OperationsPane offered={offered} problem={problem} />,
  };
  // The reader's page is where a first visit starts.
  const first = offered.find((operation) => operation.name === "ArticlePage") ?? offered[0];
  const initialVariables = first && firstVisit() ? first.variables : undefined;

  createRoot(container).render(
    <StrictMode>
      <GraphiQL
        fetcher={fetcher}
        // Used only until the browser has tabs of its own stored: a user's work is kept.
        defaultTabs={first ? [{ query: first.query, variables: first.variables }] : undefined}
        variables={initialVariables}
        defaultEditorToolsVisibility="variables"
        plugins={[operationsPlugin]}
      />
    </StrictMode>,
  );
  openPane(container, operationsPlugin.title);
}

/**
 * Opens a plugin's pane as a click on its sidebar button does. GraphiQL 4.1 applies its
 * `visiblePlugin` prop only after the first render, once the pane has been laid out hidden,
 * which leaves the plugin chosen but its pane zero pixels wide. Waits for the button at most
 * PANE_WAIT_MS, then leaves the pane closed.
 */
function openPane(container: HTMLElement, title: string) {
  const selector = `.graphiql-sidebar button[aria-label=${JSON.stringify(`Show ${title}`)}]`;
  const clickOnce = () => {
    const button = container.querySelector<HTMLButtonElement>(selector);
    if (!button) return false;
    button.click();
    return true;
  };
  if (clickOnce()) return;
  const observer = new MutationObserver(() => {
    if (clickOnce()) stop();
  });
  const timer = window.setTimeout(() => stop(), PANE_WAIT_MS);
  const stop = () => {
    observer.disconnect();
    window.clearTimeout(timer);
  };
  observer.observe(container, { childList: true, subtree: true });
}

const container = document.getElementById("explorer");
if (!container) throw new Error("The explorer page has no #explorer element");
void start(container);
