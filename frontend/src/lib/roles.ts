// Who may do what in the UI; the server decides for real, this only hides what would be refused.
import type { Me } from "../api/types";

export function canEditDeclarations(me: Me | undefined): boolean {
  return me?.role === "co_facilitator" || me?.role === "admin";
}

/** Delegates and mayors speak for their city: they comment, propose and support amendments. */
export function isCityMember(me: Me | undefined): boolean {
  return (me?.role === "delegate" || me?.role === "mayor") && !!me.city;
}

export function isAdmin(me: Me | undefined): boolean {
  return me?.role === "admin";
}
