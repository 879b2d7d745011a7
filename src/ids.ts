/**
 * Global ids: every object's id is `base64url("<Type>:<primary key>")`. Clients treat them
 * as opaque; the server can tell from an id alone which table to look in.
 */
import { badInput } from "./errors.js";
import { NODES, type NodeType } from "./registry.js";

export function toGlobalId(type: NodeType, key: number): string {
  return Buffer.from(`${type}:${key}`).toString("base64url");
}

/** The type and key an id names, or `null` for anything that is not one of Accord's ids. */
export function fromGlobalId(id: string): { type: NodeType; key: number } | null {
  if (id.length > 64 || !/^[A-Za-z0-9_-]+$/.test(id)) return null;
  const match = /^([A-Za-z]+):([1-9][0-9]{0,9})$/.exec(Buffer.from(id, "base64url").toString());
  if (!match) return null;
  const type = match[1]!;
  const key = Number(match[2]);
  if (!Object.hasOwn(NODES, type) || key > 2147483647) return null;
  return { type: type as NodeType, key };
}

/** The key behind an id given as an argument; anything but an id of `type` is bad input. */
export function keyOf(argumentName: string, id: string, type: NodeType): number {
  const ref = fromGlobalId(id);
  if (!ref || ref.type !== type) {
    throw badInput(argumentName, `"${id}" is not ${/^[AEIOU]/.test(type) ? "an" : "a"} ${type} id`);
  }
  return ref.key;
}
