import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import express from "express";
import { explorerRouter } from "../../src/explorer.js";
import { launchBrowser, skipBrowserTests, type TestBrowser } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/server.js";

const title = "Resolution of border issues between Tajikistan and Kyrgyzstan";

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
    });
    afterAll(async () => {
      await browser?.close();
    });

    it("runs the ArticlePage operation and shows the article, loading nothing from elsewhere", async () => {
      const { context, page } = browser;
      const requests: string[] = [];
      context.on("request", (request) => requests.push(`${request.method()} ${request.url()}`));
      const problems: string[] = [];
      // A refused request (a missing asset, an operation the server rejects) with its answer.
      page.on("response", async (response) => {
        if (response.status() >= 400) {
          const body = await response.text().catch(() => "");
          problems.push(`${response.status()} for ${response.url()}: ${body.slice(0, 300)}`);
        }
      });
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      page.on("console", (message) => {
        // A failed request also logs "Failed to load resource": reported above, with its body.
        if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
          problems.push(`console error: ${message.text()}`);
        }
      });
      // A resource the CSP blocks would otherwise only show as something missing on the page.
      await page.addInitScript(`
        document.addEventListener("securitypolicyviolation", (event) =>
          console.error("CSP violation: " + event.violatedDirective + " " + event.blockedURI));
      `);

      const operationAnswered = (name: string) =>
        page.waitForResponse(
          (response) =>
            response.url() === `${origin}/graphql` &&
            response.request().postDataJSON()?.operationName === name,
        );
      const introspected = operationAnswered("IntrospectionQuery");
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
      const editorText = (section: string) =>
        page.evaluate<string>(
          `document.querySelector(${JSON.stringify(section)} + " .CodeMirror").CodeMirror.getValue()`,
        );
      // The editors fill in once CodeMirror has loaded.
      await page
        .locator(".graphiql-query-editor .CodeMirror-code", { hasText: "ArticlePage" })
        .waitFor();
      await page.locator(".graphiql-editor-tool .CodeMirror-code", { hasText: "slug" }).waitFor();
      expect(await editorText(".graphiql-query-editor")).toContain(
        "query ArticlePage($slug: String!)",
      );
      expect(JSON.parse(await editorText(".graphiql-editor-tool"))).toEqual({
        slug: "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan",
      });

      const before = await editorText(".graphiql-response");
      const executed = operationAnswered("ArticlePage");
      await page.getByRole("button", { name: "Execute query (Ctrl-Enter)" }).click();
      await executed;
      await page.waitForFunction(
        `document.querySelector(".graphiql-response .CodeMirror").CodeMirror.getValue() !== ${JSON.stringify(before)}`,
      );
      // Taken before the assertions, to look at when one of them fails.
      await page.screenshot({ path: path.join(os.tmpdir(), "explorer.png") });
      const result = JSON.parse(await editorText(".graphiql-response"));
      expect(result.errors).toBeUndefined();
      expect(result.data.article.title).toBe(title);
      expect(result.data.article.visits[0].outcomes.length).toBeGreaterThan(0);
      // ... and the reader sees it in the response pane.
      expect(await page.locator(".graphiql-response .CodeMirror-code").innerText()).toContain(
        title,
      );

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
  });
});
