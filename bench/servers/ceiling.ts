/**
 * The HTTP ceiling: a plain `node:http` server that answers each known request body with
 * the bytes Accord answered it with, from memory. Nothing runs per request but reading the
 * body and one map lookup, so its throughput is the most any GraphQL server could reach
 * on this machine with this load generator; a response cache is measured against it.
 *
 * BENCH_RESPONSES names a JSON file: `[{ "request": "<body>", "response": "<body>" }]`.
 */
import { readFileSync } from "node:fs";
import http from "node:http";

const entries = JSON.parse(readFileSync(process.env.BENCH_RESPONSES ?? "", "utf8")) as {
  request: string;
  response: string;
}[];
const responses = new Map(entries.map((e) => [e.request, Buffer.from(e.response)]));

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const body = responses.get(Buffer.concat(chunks).toString());
    if (!body) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"errors":[]}');
      return;
    }
    res
      .writeHead(200, {
        "content-type": "application/json; charset=utf-8",
        "content-length": body.length,
      })
      .end(body);
  });
});
server.listen(Number(process.env.PORT ?? 4100), () => {
  console.log(`serving ${responses.size} responses from memory`);
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));
