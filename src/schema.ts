/** schema.graphql, the one source of the API: its text, and its document parsed once. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse, type DocumentNode } from "graphql";
import { projectRoot } from "./paths.js";

export const typeDefs = readFileSync(path.join(projectRoot, "schema.graphql"), "utf8");

let document: DocumentNode | undefined;

/** The schema's document: the directives (`@listSize`, `@cost`) and field types, as written. */
export function schemaDocument(): DocumentNode {
  document ??= parse(typeDefs);
  return document;
}
