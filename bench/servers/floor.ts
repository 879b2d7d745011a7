/**
 * The floor for ArticlePage and ArticleList: a plain `node:http` server that answers each
 * request with one SQL statement whose result is the response itself, already in the shape
 * and order of Accord's answer (global ids, cursors, dates and paragraph texts computed by
 * Postgres), written out as Postgres sends it. No GraphQL, no parsing of rows: its throughput
 * is the most a server doing the query's database work could reach on this machine, and the
 * distance from it is what GraphQL execution and Accord's own per-request work cost.
 *
 * Requests are Accord's bodies of those two operations (`operationName`, and `variables.slug`
 * or `variables.first`); DATABASE_URL names the benchmark database; a pool of 10, like Accord's.
 */
import http from "node:http";
import pg from "pg";

/** Accord's global id of a row: base64url("<Type>:<id>") without padding. */
const id = (type: string, column: string) =>
  `rtrim(translate(encode(convert_to('${type}:' || ${column}, 'UTF8'), 'base64'), '+/', '-_'), '=')`;

/** base64url without padding or line breaks, of `text` (a SQL expression). */
const base64url = (text: string) =>
  `rtrim(translate(encode(convert_to(${text}, 'UTF8'), 'base64'), E'+/\\n', '-_'), '=')`;

const date = (column: string) => `to_char(${column}, 'YYYY-MM-DD')`;

const actor = (alias: string, description: boolean) =>
  `json_build_object('id', ${id("Actor", `${alias}.id`)}, 'name', ${alias}.name, 'kind', ${alias}.kind${
    description ? `, 'description', ${alias}.description` : ""
  })`;

const passages = (column: string, owner: string) => `(
  SELECT coalesce(json_agg(json_build_object(
    'id', ${id("Citation", "c.id")}, 'start', c.start, 'end', c."end", 'quote', c.quote,
    'paragraphIndex', c."paragraphIndex",
    'article', json_build_object('id', ${id("Article", "ca.id")}, 'slug', ca.slug)
  ) ORDER BY c.start, c.id), '[]')
  FROM "Citation" c JOIN "Article" ca ON ca.id = c."articleId" WHERE c."${column}" = ${owner})`;

const PAGE = `
SELECT json_build_object('data', json_build_object('article', (
  SELECT json_build_object(
    'id', ${id("Article", "a.id")}, 'slug', a.slug, 'title', a.title, 'subtitle', a.subtitle,
    'publishedOn', ${date('a."publishedOn"')}, 'language', a.language,
    'publisher', (SELECT ${actor("p", false)} FROM "Actor" p WHERE p.id = a."publisherId"),
    'authors', (SELECT coalesce(json_agg(${actor("au", true)} ORDER BY l.position), '[]')
                FROM "ArticleAuthor" l JOIN "Actor" au ON au.id = l."actorId" WHERE l."articleId" = a.id),
    'paragraphs', (SELECT coalesce(json_agg(json_build_object(
                     'index', p.index, 'start', p.start, 'end', p."end",
                     'text', substr(a.body, p.start + 1, p."end" - p.start), 'duplicateOf', p."duplicateOf"
                   ) ORDER BY p.index), '[]')
                   FROM "ArticleParagraph" p WHERE p."articleId" = a.id),
    'visits', (SELECT coalesce(json_agg(json_build_object(
      'id', ${id("Visit", "v.id")}, 'title', v.title, 'kind', v.kind,
      'startDate', ${date('v."startDate"')}, 'endDate', ${date('v."endDate"')},
      'location', v.location, 'documentsSignedCount', v."documentsSignedCount",
      'participants', (SELECT coalesce(json_agg(json_build_object('role', vp.role, 'actor', ${actor("pa", false)}) ORDER BY vp.id), '[]')
                       FROM "VisitParticipant" vp JOIN "Actor" pa ON pa.id = vp."actorId" WHERE vp."visitId" = v.id),
      'agreements', (SELECT coalesce(json_agg(json_build_object(
                       'id', ${id("Agreement", "g.id")}, 'title', g.title, 'kind', g.kind, 'status', g.status,
                       'signedOn', ${date('g."signedOn"')},
                       'parties', (SELECT coalesce(json_agg(${actor("ga", false)} ORDER BY ga.id), '[]')
                                   FROM "AgreementParty" gp JOIN "Actor" ga ON ga.id = gp."actorId" WHERE gp."agreementId" = g.id),
                       'citations', ${passages("agreementId", "g.id")}
                     ) ORDER BY g.id), '[]') FROM "Agreement" g WHERE g."visitId" = v.id),
      'outcomes', (SELECT coalesce(json_agg(json_build_object(
                     'id', ${id("Outcome", "o.id")}, 'ordinal', o.ordinal, 'statement', o.statement,
                     'category', o.category, 'status', o.status,
                     'citations', ${passages("outcomeId", "o.id")}
                   ) ORDER BY o.ordinal, o.id), '[]') FROM "Outcome" o WHERE o."visitId" = v.id),
      'citations', ${passages("visitId", "v.id")}
    ) ORDER BY v.id), '[]')
    FROM "ArticleVisit" av JOIN "Visit" v ON v.id = av."visitId" WHERE av."articleId" = a.id)
  ) FROM "Article" a WHERE a.slug = $1
)))::text AS body`;

/** Accord's cursor of an article in the newest-first list: `["Article.publishedOn.desc", date, id]`. */
const listCursor = (alias: string) =>
  base64url(
    `'["Article.publishedOn.desc","' || ${date(`${alias}."publishedOn"`)} || '",' || ${alias}.id || ']'`,
  );

/** ArticleList: the newest `$1` articles with their authors, the total from "ListCount". */
const LIST = `
WITH page AS (
  SELECT id, slug, title, "publishedOn" FROM "Article"
   ORDER BY "publishedOn" DESC, id DESC LIMIT $1 + 1
), shown AS (
  SELECT * FROM page ORDER BY "publishedOn" DESC, id DESC LIMIT $1
)
SELECT json_build_object('data', json_build_object('articles', json_build_object(
  'totalCount', (SELECT coalesce(sum("count"), 0)::int FROM "ListCount" WHERE "list" = 'Article'),
  'pageInfo', json_build_object(
    'hasNextPage', (SELECT count(*) FROM page) > $1,
    'endCursor', (SELECT ${listCursor("s")} FROM shown s ORDER BY s."publishedOn", s.id LIMIT 1)
  ),
  'edges', (SELECT coalesce(json_agg(json_build_object(
    'cursor', ${listCursor("s")},
    'node', json_build_object(
      'id', ${id("Article", "s.id")}, 'slug', s.slug, 'title', s.title,
      'publishedOn', ${date('s."publishedOn"')},
      'authors', (SELECT coalesce(json_agg(json_build_object('id', ${id("Actor", "au.id")}, 'name', au.name) ORDER BY l.position), '[]')
                  FROM "ArticleAuthor" l JOIN "Actor" au ON au.id = l."actorId" WHERE l."articleId" = s.id)
    )
  ) ORDER BY s."publishedOn" DESC, s.id DESC), '[]') FROM shown s)
)))::text AS body`;

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
/** The statement of each operation, and its one parameter read from the request's variables. */
const OPERATIONS: Record<string, { name: string; text: string; variable: string }> = {
  ArticlePage: { name: "floor_article_page", text: PAGE, variable: "slug" },
  ArticleList: { name: "floor_article_list", text: LIST, variable: "first" },
};

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    let operation: (typeof OPERATIONS)[string] | undefined;
    let value: unknown;
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as {
        operationName?: string;
        variables?: Record<string, unknown>;
      };
      operation = Object.hasOwn(OPERATIONS, body.operationName ?? "")
        ? OPERATIONS[body.operationName!]
        : undefined;
      value = operation && body.variables?.[operation.variable];
    } catch {
      operation = undefined;
    }
    if (!operation || (typeof value !== "string" && typeof value !== "number")) {
      res.writeHead(400, { "content-type": "application/json" }).end('{"errors":[]}');
      return;
    }
    const { name, text } = operation;
    pool.query<{ body: string }>({ name, text, values: [value] }).then(
      (result) => {
        const body = Buffer.from(result.rows[0]!.body);
        res
          .writeHead(200, {
            "content-type": "application/json; charset=utf-8",
            "content-length": body.length,
          })
          .end(body);
      },
      (error: Error) => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ errors: [{ message: error.message }] }));
      },
    );
  });
});
server.listen(Number(process.env.PORT ?? 4100), () => {
  console.log("serving ArticlePage and ArticleList, each from one statement");
});
process.once("SIGTERM", () => server.close(() => void pool.end().then(() => process.exit(0))));
