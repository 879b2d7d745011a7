/**
 * What a browser sees: the server's root, listing its paths, and the page at /graphql, which
 * embeds Apollo Sandbox when Apollo's servers can be reached and otherwise says where the
 * offline explorer is (Sandbox loads from Apollo's CDN; /explorer is bundled with Accord).
 */
import type { ApolloServerPlugin } from "@apollo/server";

/** What the server serves, by path: its root's answer. */
export const INDEX = {
  graphql: "/graphql",
  explorer: "/explorer",
  health: "/healthz",
  ready: "/readyz",
};

export const INDEX_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Accord</title></head>
<body><h1>Accord</h1><ul>
<li><a href="/explorer">/explorer</a>: the offline explorer (GraphiQL, schema docs)</li>
<li><a href="/graphql">/graphql</a>: the GraphQL endpoint (Apollo Sandbox in a browser, which needs the internet)</li>
<li><a href="/healthz">/healthz</a> and <a href="/readyz">/readyz</a>: health</li>
</ul></body></html>
`;

/** Apollo's embeddable Sandbox, as its own landing page loads it. */
const SANDBOX_SCRIPT =
  "https://embeddable-sandbox.cdn.apollographql.com/_latest/embeddable-sandbox.umd.production.min.js";

/**
 * The /graphql page. The pointer to /explorer is there from the start, so a browser that cannot
 * load the Sandbox script (offline, blocked, or no JavaScript) still shows it; when the script
 * loads, Sandbox fills the page below it.
 */
const LANDING_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Accord GraphQL</title>
<style>
  body { margin: 0; font-family: system-ui, sans-serif; }
  #pointer { padding: 0.5rem 1rem; background: #f4f1ea; border-bottom: 1px solid #ddd; }
  #sandbox { height: calc(100vh - 3rem); }
  #failed[hidden] { display: none; }
</style></head>
<body>
<p id="pointer">This is Accord's GraphQL endpoint. No internet here?
<a href="/explorer">Open the offline explorer</a>, bundled with Accord.
<span id="failed" hidden><strong>Apollo Sandbox could not be loaded</strong> from Apollo's servers.</span></p>
<div id="sandbox"></div>
<script>
  function sandboxFailed() { document.getElementById("failed").hidden = false; }
</script>
<script src="${SANDBOX_SCRIPT}" onerror="sandboxFailed()"></script>
<script>
  if (window.EmbeddedSandbox) {
    new window.EmbeddedSandbox({ target: "#sandbox", initialEndpoint: location.href, includeCookies: false });
  } else {
    sandboxFailed();
  }
</script>
</body></html>
`;

/** Replaces Apollo's landing pages (development and production) with `LANDING_HTML`. */
export const landingPagePlugin: ApolloServerPlugin = {
  serverWillStart: () =>
    Promise.resolve({ renderLandingPage: () => Promise.resolve({ html: LANDING_HTML }) }),
};
