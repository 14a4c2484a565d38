// The UI's words for the API's codes (roles, statuses, amendments) and for dates.
import i18next from "i18next";
import type { AmendmentStatus, DeclarationStatus, Role } from "../api/types";
import { currentLocale } from "../i18n";

// Roles and statuses in the reader's language (the catalogues in src/i18n/locales).
export function roleInWords(role: Role): string {
  return i18next.t(`roles.${role}`, { defaultValue: role });
}

export function statusInWords(status: DeclarationStatus): string {
  return i18next.t(`statuses.${status}`, { defaultValue: status });
}

// Every time shown names its zone (the reader's own), as the PDF and /verify name UTC.
// In the reader's locale (en-GB for English: "6 Dec 2026, 08:50 UTC").
function dateTime(): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(currentLocale(), {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  });
}

function dateOnly(): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: "medium" });
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime().format(date);
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateOnly().format(date);
}

/** A number in the reader's locale ("1,234" in English, "1 234" in French). */
export function formatNumber(value: number): string {
  return value.toLocaleString(currentLocale());
}

/** Items joined as the reader's language lists them ("44 and 45", "44 و45", "44和45"). */
export function listInWords(items: string[]): string {
  return new Intl.ListFormat(currentLocale(), { type: "conjunction" }).format(items);
}

// Typed by the schema's AmendmentStatus: a state added or renamed there fails the type check here.
// In the order of an amendment's life; their words are in the catalogues (amendments.status).
const AMENDMENT_STATUSES: Record<AmendmentStatus, true> = {
  proposed: true,
  accepted: true,
  rejected: true,
  withdrawn: true,
  merged: true,
  obsolete: true,
};

/** Every amendment state, in the order of its life. */
export const amendmentStatuses = Object.keys(AMENDMENT_STATUSES) as AmendmentStatus[];

export function amendmentStatusInWords(status: string): string {
  return i18next.t(`amendments.status.${status}`, { defaultValue: status });
}

/** What an amendment does, e.g. "New wording of paragraph 4", "New paragraph after paragraph 4". */
export function amendmentActionInWords(action: "modify" | "insert" | "delete", where: string | null): string {
  if (action === "insert")
    return where ? i18next.t("amendments.action.insertAfter", { where }) : i18next.t("amendments.action.insertStart");
  const place = where ?? i18next.t("amendments.action.aParagraph");
  return i18next.t(action === "delete" ? "amendments.action.delete" : "amendments.action.modify", { where: place });
}

/** A short piece of a text for labels: the first words, cut at a word edge. */
export function excerpt(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
