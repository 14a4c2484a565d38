// The UI's words for the API's codes (roles, statuses) and for dates.
import type { DeclarationStatus, Role } from "../api/types";

const ROLES: Record<Role, string> = {
  admin: "Secretariat (administrator)",
  co_facilitator: "Co-facilitator",
  delegate: "Delegate",
  mayor: "Mayor or governor",
  observer: "Observer",
};

const STATUSES: Record<DeclarationStatus, string> = {
  drafting: "Drafting",
  final: "Final text",
  open: "Open for endorsement",
  closed: "Closed",
};

export function roleInWords(role: Role): string {
  return ROLES[role] ?? role;
}

export function statusInWords(status: DeclarationStatus): string {
  return STATUSES[status] ?? status;
}

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium" });

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateOnly.format(date);
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en-GB")} ${count === 1 ? one : many}`;
}
