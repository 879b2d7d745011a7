/**
 * The explorer: GraphiQL served by Accord itself, for networks without internet access where
 * Apollo Sandbox (loaded from Apollo's servers) cannot start. `npm run build:explorer` (also
 * run by `postinstall`) bundles it into explorer/dist; this router serves those files.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import express from "express";
import { projectRoot } from "./paths.js";

export const explorerDist = path.join(projectRoot, "explorer", "dist");

/**
 * Everything the page uses comes from this server: the bundle inlines GraphiQL's fonts and
 * icons as `data:` URLs, and React and CodeMirror set styles through the DOM, which CSP allows
 * without 'unsafe-inline'. Nothing is evaluated from strings, so no 'unsafe-eval' either.
 */
export const explorerContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join("; ");

/** Serves the built explorer; mount it with `app.use("/explorer", explorerRouter())`. */
export function explorerRouter(dist: string = explorerDist): express.Router {
  const router = express.Router();

  router.use((req, res, next) => {
    res.set({
      "Content-Security-Policy": explorerContentSecurityPolicy,
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
    });
    // Checked on each request, so that building the bundle needs no restart.
    if (!existsSync(path.join(dist, "index.html"))) {
      res
        .status(503)
        .type("text/plain")
        .send(`The explorer has not been built: run npm run build:explorer (looked in ${dist}).\n`);
      return;
    }
    // The page loads its script and stylesheet by relative URLs, which resolve under
    // /explorer/ only with the trailing slash.
    if (req.path === "/" && !req.originalUrl.split("?")[0]!.endsWith("/")) {
      const query = req.originalUrl.slice(req.originalUrl.split("?")[0]!.length);
      res.redirect(308, `${req.baseUrl}/${query}`);
      return;
    }
    next();
  });
  router.use(express.static(dist, { index: "index.html", redirect: false }));
  return router;
}
