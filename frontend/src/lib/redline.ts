// Pure helpers over a word-level redline: [op, text] pairs with op equal, insert or delete.
import type { DiffOp } from "../api/types";

/** The text before the change: what was kept and what was deleted. */
export function oldText(diff: readonly DiffOp[]): string {
  return diff.filter(([op]) => op !== "insert").map(([, text]) => text).join("");
}

/** The text after the change: what was kept and what was inserted. */
export function newText(diff: readonly DiffOp[]): string {
  return diff.filter(([op]) => op !== "delete").map(([, text]) => text).join("");
}
