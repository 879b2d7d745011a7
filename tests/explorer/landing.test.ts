/**
 * The page a browser gets at /graphql: Apollo Sandbox when Apollo's servers can be reached,
 * and in every case a pointer to the offline explorer, which an offline browser sees at once.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { launchBrowser, skipBrowserTests, type TestBrowser } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/server.js";

describe("the page at /graphql", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ seeded: false });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("answers a browser with a page that points to /explorer", async () => {
    const response = await fetch(server.url, { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await response.text()).toContain('<a href="/explorer">Open the offline explorer</a>');
  });

  it("still answers GraphQL clients with GraphQL", async () => {
    expect(await server.graphql("{ __typename }")).toEqual({
      status: 200,
      data: { __typename: "Query" },
    });
  });

  (skipBrowserTests() ? describe.skip : describe)("in Chromium, offline", () => {
    let browser: TestBrowser;
    beforeAll(async () => {
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it("says Sandbox could not be loaded and leads to the explorer", async () => {
      const { context, page } = browser;
      const origin = new URL(server.url).origin;
      // Offline: every request away from the server fails, as without a network.
      await context.route(
        (url) => url.origin !== origin,
        (route) => route.abort("internetdisconnected"),
      );
      await page.goto(server.url);
      await page.locator("#failed").waitFor({ state: "visible", timeout: 10_000 });
      expect(await page.locator("#pointer").innerText()).toMatch(
        /No internet here\? Open the offline explorer, bundled with Accord\.\s+Apollo Sandbox could not be loaded from Apollo's servers\./,
      );
      await page.getByRole("link", { name: "Open the offline explorer" }).click();
      await page.waitForURL(`${origin}/explorer/**`);
      expect(new URL(page.url()).pathname).toBe("/explorer/");
    }, 30_000);
  });
});
