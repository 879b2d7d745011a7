import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import express from "express";
import { Kind, parse } from "graphql";
import type { ConsoleMessage, Page, Response } from "playwright-core";
import { explorerRouter } from "../../src/explorer.js";
import { launchBrowser, skipBrowserTests, type TestBrowser } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/server.js";

const title = "Resolution of border issues between Tajikistan and Kyrgyzstan";

/** The contract's read operations (the folder's own files; admin/ needs a key), in name order. */
const operationsDir = new URL("../contract/operations/", import.meta.url);
const contractOperations = readdirSync(operationsDir, { withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith(".graphql"))
  .map((entry) => {
    const document = parse(readFileSync(new URL(entry.name, operationsDir), "utf8"));
    const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)!;
    const required = (operation.variableDefinitions ?? [])
      .filter((d) => d.type.kind === Kind.NON_NULL_TYPE && d.defaultValue === undefined)
      .map((d) => d.variable.name.value);
    return { name: operation.name!.value, required };
  })
  .sort((a, b) => a.name.localeCompare(b.name));

/**
 * What goes wrong on the page while a test runs: a refused request (a missing asset, an
 * operation the server rejects) with its answer, a script error, a console error, a CSP
 * violation (logged by the init script `launchExplorerBrowser` adds).
 */
function watchProblems(page: Page): { problems: string[]; stop: () => void } {
  const problems: string[] = [];
  const onResponse = async (response: Response) => {
    if (response.status() >= 400) {
      const body = await response.text().catch(() => "");
      problems.push(`${response.status()} for ${response.url()}: ${body.slice(0, 300)}`);
    }
  };
  const onPageError = (error: Error) => problems.push(`page error: ${error.message}`);
  const onConsole = (message: ConsoleMessage) => {
    // A failed request also logs "Failed to load resource": reported above, with its body.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      problems.push(`console error: ${message.text()}`);
    }
  };
  page.on("response", onResponse);
  page.on("pageerror", onPageError);
  page.on("console", onConsole);
  return {
    problems,
    stop: () => {
      page.off("response", onResponse);
      page.off("pageerror", onPageError);
      page.off("console", onConsole);
    },
  };
}

/** The text of the CodeMirror editor in `section` (a GraphiQL pane's selector). */
const editorText = (page: Page, section: string) =>
  page.evaluate<string>(
    `document.querySelector(${JSON.stringify(section)} + " .CodeMirror").CodeMirror.getValue()`,
  );

/**
 * Waits until the editor in `section` no longer holds `before`. Polled through `evaluate`:
 * `waitForFunction` would compile its predicate in the page, which the explorer's CSP forbids.
 */
async function editorChanged(page: Page, section: string, before: string): Promise<string> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const text = await editorText(page, section);
    if (text !== before) return text;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${section} still holds ${JSON.stringify(before.slice(0, 100))}`);
}

/** Resolves with the answer to the next POST to /graphql of operation `name`. */
const operationAnswered = (page: Page, origin: string, name: string) =>
  page.waitForResponse(
    (response) =>
      response.url() === `${origin}/graphql` &&
      response.request().postDataJSON()?.operationName === name,
  );

describe("the explorer at /explorer", () => {
  let server: TestServer;
  let origin: string;

  beforeAll(async () => {
    server = await startTestServer();
    origin = new URL(server.url).origin;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("redirects /explorer to /explorer/, keeping the query string, so that relative URLs resolve", async () => {
    const response = await fetch(`${origin}/explorer?theme=dark`, { redirect: "manual" });
    expect(response.status).toBe(308);
    expect(response.headers.get("location")).toBe("/explorer/?theme=dark");
  });

  it("serves the page, its script and its stylesheet with their types and a same-origin CSP", async () => {
    const page = await fetch(`${origin}/explorer/`);
    const html = await page.text();
    expect({ status: page.status, body: html.slice(0, 200) }).toEqual({
      status: 200,
      body: expect.stringContaining("<!doctype html>"),
    });
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = page.headers.get("content-security-policy")!.split("; ");
    expect(csp).toEqual(
      expect.arrayContaining(["default-src 'self'", "script-src 'self'", "connect-src 'self'"]),
    );
    expect(csp.join("; ")).not.toMatch(/unsafe-|https?:|\*/);
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");

    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets).toEqual(["data:,", "explorer.css", "explorer.js"]);

    const script = await fetch(`${origin}/explorer/explorer.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect((await script.text()).length).toBeGreaterThan(100_000);

    const style = await fetch(`${origin}/explorer/explorer.css`);
    expect(style.status).toBe(200);
    expect(style.headers.get("content-type")).toBe("text/css; charset=utf-8");
    const css = await style.text();
    // The fonts travel inside the stylesheet; nothing points to another server.
    expect(css).toMatch(/@font-face\{[^}]*url\(data:font\/woff2;base64,/);
    expect(css).not.toMatch(/@import|url\(\s*["']?(https?:)?\/\//);
  });

  it("answers 503 naming npm run build:explorer when the bundle has not been built", async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), "accord-explorer-"));
    const app = express().use("/explorer", explorerRouter(empty));
    const listener = app.listen(0);
    try {
      await new Promise((resolve) => listener.once("listening", resolve));
      const { port } = listener.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/explorer/`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain("run npm run build:explorer");
    } finally {
      await new Promise((resolve) => listener.close(resolve));
      await rm(empty, { recursive: true, force: true });
    }
  });

  (skipBrowserTests() ? describe.skip : describe)("in Chromium", () => {
    let browser: TestBrowser;

    beforeAll(async () => {
      browser = await launchBrowser();
      // A resource the CSP blocks would otherwise only show as something missing on the page.
      await browser.page.addInitScript(`
        document.addEventListener("securitypolicyviolation", (event) =>
          console.error("CSP violation: " + event.violatedDirective + " " + event.blockedURI));
      `);
    });
    afterAll(async () => {
      await browser?.close();
    });

    it("runs the ArticlePage operation and shows the article, loading nothing from elsewhere", async () => {
      const { context, page } = browser;
      const requests: string[] = [];
      context.on("request", (request) => requests.push(`${request.method()} ${request.url()}`));
      const { problems, stop } = watchProblems(page);
      const introspected = operationAnswered(page, origin, "IntrospectionQuery");
      await page.goto(`${origin}/explorer`);
      expect(page.url()).toBe(`${origin}/explorer/`);
      // GraphiQL's documentation and completion come from the schema it introspects.
      const introspection = await introspected;
      expect({
        status: introspection.status(),
        errors: (await introspection.json()).errors,
      }).toEqual({
        status: 200,
        errors: undefined,
      });

      // The first tab holds the contract's ArticlePage operation and the seeded article's slug.
      // The editors fill in once CodeMirror has loaded.
      await page
        .locator(".graphiql-query-editor .CodeMirror-code", { hasText: "ArticlePage" })
        .waitFor();
      await page.locator(".graphiql-editor-tool .CodeMirror-code", { hasText: "slug" }).waitFor();
      expect(await editorText(page, ".graphiql-query-editor")).toContain(
        "query ArticlePage($slug: String!)",
      );
      expect(JSON.parse(await editorText(page, ".graphiql-editor-tool"))).toEqual({
        slug: "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan",
      });

      const before = await editorText(page, ".graphiql-response");
      const executed = operationAnswered(page, origin, "ArticlePage");
      await page.getByRole("button", { name: "Execute query (Ctrl-Enter)" }).click();
      await executed;
      await editorChanged(page, ".graphiql-response", before);
      // Taken before the assertions, to look at when one of them fails.
      await page.screenshot({ path: path.join(os.tmpdir(), "explorer.png") });
      const result = JSON.parse(await editorText(page, ".graphiql-response"));
      expect(result.errors).toBeUndefined();
      expect(result.data.article.title).toBe(title);
      expect(result.data.article.visits[0].outcomes.length).toBeGreaterThan(0);
      // ... and the reader sees it in the response pane.
      expect(await page.locator(".graphiql-response .CodeMirror-code").innerText()).toContain(
        title,
      );

      stop();
      expect(problems).toEqual([]);
      expect(requests).toEqual(
        expect.arrayContaining([
          `GET ${origin}/explorer/`,
          `GET ${origin}/explorer/explorer.js`,
          `GET ${origin}/explorer/explorer.css`,
          `POST ${origin}/graphql`,
        ]),
      );
      // `data:` URLs (the icon, GraphiQL's inlined images and fonts) are read from the page itself.
      const elsewhere = requests.filter((request) => {
        const url = new URL(request.split(" ")[1]!);
        return url.protocol !== "data:" && url.origin !== origin;
      });
      expect(elsewhere).toEqual([]);
    });

    it("offers every contract operation by name, and each runs from it against the seeded record without errors", async () => {
      const { page } = browser;
      const { problems, stop } = watchProblems(page);
      // A fresh start, whatever tabs an earlier test left in this browser's storage: cleared
      // from a page of the origin that is not GraphiQL, so no write of its own comes after.
      await page.goto("about:blank");
      await page.goto(`${origin}/healthz`);
      await page.evaluate("window.localStorage.clear()");
      await page.goto(`${origin}/explorer/`);

      // The list opens with the page, and names exactly the folder's operations.
      const pane = page.getByRole("region", { name: "Contract operations" });
      await pane.getByRole("button").first().waitFor();
      await page.screenshot({ path: "/tmp/ops.png" });
      expect(await pane.getByRole("listitem").getByRole("button").allInnerTexts()).toEqual(
        contractOperations.map((operation) => operation.name),
      );

      const ran: Record<string, unknown> = {};
      for (const { name, required } of contractOperations) {
        await pane.getByRole("button", { name, exact: true }).click();
        // The active tab takes the operation's name once GraphiQL has read the new query, and
        // only then does Execute send that name.
        await page
          .locator(".graphiql-tab-active .graphiql-tab-button")
          .filter({ hasText: new RegExp(`^\\s*${name}\\s*$`) })
          .waitFor();
        expect(await editorText(page, ".graphiql-query-editor")).toContain(`query ${name}`);
        // Every variable the operation requires has a value read from the record: no
        // placeholder saying why one is missing, nothing left empty.
        const variables = JSON.parse(await editorText(page, ".graphiql-editor-tool"));
        expect({ name, variables: Object.keys(variables) }).toEqual({ name, variables: required });
        for (const value of Object.values(variables)) {
          expect({ name, value }).toEqual({ name, value: expect.not.stringMatching(/^<|^$/) });
        }

        const before = await editorText(page, ".graphiql-response");
        const executed = operationAnswered(page, origin, name);
        await page.getByRole("button", { name: "Execute query (Ctrl-Enter)" }).click();
        const response = await executed;
        expect({ name, status: response.status() }).toEqual({ name, status: 200 });
        const result = JSON.parse(await editorChanged(page, ".graphiql-response", before));
        // Each root field answers something: the examples point at objects that exist.
        const roots = Object.entries(result.data ?? {});
        ran[name] = {
          errors: result.errors,
          roots: roots.length > 0 && roots.every(([, value]) => value !== null),
        };
      }
      stop();
      expect(ran).toEqual(
        Object.fromEntries(
          contractOperations.map(({ name }) => [name, { errors: undefined, roots: true }]),
        ),
      );
      expect(problems).toEqual([]);
    });

    it("says so in the operations pane and in the variables when the examples cannot be read from the record", async () => {
      const { page } = browser;
      // An endpoint that refuses everything, as a server whose database is down answers.
      const app = express()
        .use("/explorer", explorerRouter())
        .post("/graphql", (_request, response) => {
          response.status(503).json({ errors: [{ message: "the database is unavailable" }] });
        });
      const listener = app.listen(0);
      try {
        await new Promise((resolve) => listener.once("listening", resolve));
        const { port } = listener.address() as AddressInfo;
        // A new origin (its own port): nothing stored from earlier tests.
        await page.goto(`http://127.0.0.1:${port}/explorer/`);

        const pane = page.getByRole("region", { name: "Contract operations" });
        await pane.getByRole("alert").waitFor();
        expect(await pane.getByRole("alert").innerText()).toBe(
          "The examples could not be read from the server: the database is unavailable",
        );
        await pane.getByRole("button", { name: "ActorProfile", exact: true }).click();
        await page
          .locator(".graphiql-tab-active .graphiql-tab-button")
          .filter({ hasText: /^\s*ActorProfile\s*$/ })
          .waitFor();
        expect(JSON.parse(await editorText(page, ".graphiql-editor-tool"))).toEqual({
          id: "<no example: the record could not be read: the database is unavailable>",
        });
      } finally {
        await new Promise((resolve) => listener.close(resolve));
      }
    });
  });
});
