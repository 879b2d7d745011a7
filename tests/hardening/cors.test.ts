/**
 * CORS (`ACCORD_CORS_ORIGINS`): unset, any page may call the API (`*`); with a list, a listed
 * origin is answered with itself and any other with no `Access-Control-Allow-Origin`, every
 * answer saying `Vary: Origin`, on preflights and on simple requests, from the response cache
 * as from the full pipeline.
 */
import { describe, expect, it } from "@jest/globals";
import { readConfig } from "../../src/config.js";
import { exchange, postJson, type Exchange } from "../support/http.js";
import { startTestServer } from "../support/server.js";
import { forSuite } from "../support/suite.js";

const LISTED = "https://app.example.org";
const ALSO_LISTED = "http://localhost:3000";
const UNLISTED = "https://elsewhere.example.net";

/** What a browser asks before a cross-origin JSON POST. */
const preflight = (url: string, origin: string) =>
  exchange(url, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type",
    },
  });

const cors = ({ status, headers }: Exchange) => ({
  status,
  allowOrigin: headers["access-control-allow-origin"],
  varyOrigin: (headers.vary ?? "")
    .split(",")
    .map((v) => v.trim().toLowerCase())
    .includes("origin"),
});

describe("CORS: configuration", () => {
  const origins = (value?: string) =>
    readConfig(value === undefined ? {} : { ACCORD_CORS_ORIGINS: value }).corsOrigins;

  it("allows any origin when unset, empty or *", () => {
    expect([origins(), origins(""), origins("*"), origins(" * ")]).toEqual(["*", "*", "*", "*"]);
  });

  it("reads a comma-separated list, spaces around the commas allowed, each origin once", () => {
    expect(origins(`${LISTED}, ${ALSO_LISTED},${LISTED}`)).toEqual([LISTED, ALSO_LISTED]);
    expect(origins("http://[::1]:8080,capacitor://localhost")).toEqual([
      "http://[::1]:8080",
      "capacitor://localhost",
    ]);
  });

  it.each([
    ["https://app.example.org/", /got "https:\/\/app\.example\.org\/"/],
    ["https://app.example.org/path", /got "https:\/\/app\.example\.org\/path"/],
    ["app.example.org", /got "app\.example\.org"/],
    ["https://user@app.example.org", /got "https:\/\/user@app\.example\.org"/],
    ["https://app.example.org?x=1", /got/],
    [`${LISTED},`, /got ""/],
    [`${LISTED},*`, /got "\*"/],
    ["https://*.example.org", /got "https:\/\/\*\.example\.org": a wildcard matches nothing/],
    ["https://App.Example.org", /a browser sends it as "https:\/\/app\.example\.org"/],
    ["https://app.example.org:443", /a browser sends it as "https:\/\/app\.example\.org"/],
    ["http://localhost:99999", /got "http:\/\/localhost:99999"/],
  ])("refuses %s, naming the variable", (value, detail) => {
    expect(() => origins(value)).toThrow(/^ACCORD_CORS_ORIGINS must be \* or a comma-separated/);
    expect(() => origins(value)).toThrow(detail);
  });
});

describe("CORS: a list of origins", () => {
  const server = forSuite(() =>
    startTestServer({
      seeded: false,
      env: { ACCORD_CORS_ORIGINS: `${LISTED},${ALSO_LISTED}`, ACCORD_RESPONSE_CACHE: "memory" },
    }),
  );

  it("answers a listed origin's preflight with that origin", async () => {
    for (const origin of [LISTED, ALSO_LISTED]) {
      const answer = await preflight(server.url, origin);
      expect(cors(answer)).toEqual({ status: 204, allowOrigin: origin, varyOrigin: true });
      expect(answer.headers["access-control-allow-methods"]).toMatch(/POST/);
      expect(answer.headers["access-control-allow-headers"]).toBe("content-type");
    }
  });

  it("gives an unlisted origin's preflight no Access-Control-Allow-Origin", async () => {
    expect(cors(await preflight(server.url, UNLISTED))).toEqual({
      status: 204,
      allowOrigin: undefined,
      varyOrigin: true,
    });
  });

  it("answers a listed origin's request with that origin, missed and then hit", async () => {
    const request = { query: `{ actors(first: 1) { totalCount } }` };
    const miss = await postJson(server.url, request, { origin: LISTED });
    const hit = await postJson(server.url, request, { origin: LISTED });
    expect([miss.headers["x-cache"], hit.headers["x-cache"]]).toEqual(["miss", "hit"]);
    for (const answer of [miss, hit]) {
      expect(cors(answer)).toEqual({ status: 200, allowOrigin: LISTED, varyOrigin: true });
    }
  });

  it("answers an unlisted origin, or none, with no Access-Control-Allow-Origin", async () => {
    const request = { query: `{ actors(first: 2) { totalCount } }` };
    const answers = [
      await postJson(server.url, request, { origin: UNLISTED }),
      await postJson(server.url, request, { origin: UNLISTED }),
      await postJson(server.url, request),
      // The entry a listed origin made is served to it with its own header, to no other.
      await postJson(server.url, request, { origin: LISTED }),
    ];
    expect(answers.map((a) => a.headers["x-cache"])).toEqual(["miss", "hit", "hit", "hit"]);
    expect(answers.map(cors)).toEqual([
      { status: 200, allowOrigin: undefined, varyOrigin: true },
      { status: 200, allowOrigin: undefined, varyOrigin: true },
      { status: 200, allowOrigin: undefined, varyOrigin: true },
      { status: 200, allowOrigin: LISTED, varyOrigin: true },
    ]);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
  });

  it("answers a refused request alike: the origin's header, or none", async () => {
    const [listed, unlisted] = await Promise.all(
      [LISTED, UNLISTED].map((origin) =>
        exchange(server.url, {
          headers: { "content-type": "application/json", origin },
          body: "{not json",
        }),
      ),
    );
    expect([cors(listed!), cors(unlisted!)]).toEqual([
      { status: 400, allowOrigin: LISTED, varyOrigin: true },
      { status: 400, allowOrigin: undefined, varyOrigin: true },
    ]);
  });
});

describe("CORS: unset", () => {
  const server = forSuite(() =>
    startTestServer({ seeded: false, env: { ACCORD_RESPONSE_CACHE: "memory" } }),
  );

  it("answers every origin with *, and no Vary: Origin, as before the variable", async () => {
    const request = { query: `{ actors(first: 1) { totalCount } }` };
    const answers = [
      await preflight(server.url, UNLISTED),
      await postJson(server.url, request, { origin: UNLISTED }),
      await postJson(server.url, request, { origin: LISTED }),
    ];
    expect(answers.map((a) => a.headers["x-cache"])).toEqual([undefined, "miss", "hit"]);
    expect(answers.map(cors)).toEqual([
      { status: 204, allowOrigin: "*", varyOrigin: false },
      { status: 200, allowOrigin: "*", varyOrigin: false },
      { status: 200, allowOrigin: "*", varyOrigin: false },
    ]);
  });
});
