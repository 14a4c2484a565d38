// Who may do what in the UI; the server decides for real, this only hides what would be refused.
import type { Me } from "../api/types";

export function canEditDeclarations(me: Me | undefined): boolean {
  return me?.role === "co_facilitator" || me?.role === "admin";
}
