// A signer's receipt as a page of its own, printed (or saved as PDF by the browser's print
// dialog): what it says in words, then the whole receipt as JSON, which is what a checker reads.
import i18next from "i18next";
import type { Receipt } from "../api/types";
import { languageOf } from "../i18n";
import { formatDateTime, formatNumber } from "./words";

function add(doc: Document, parent: HTMLElement, tag: string, text: string, className?: string): HTMLElement {
  const element = doc.createElement(tag);
  element.textContent = text;
  if (className) element.className = className;
  parent.append(element);
  return element;
}

const PRINT_STYLE = `
  body { font: 11pt/1.45 system-ui, sans-serif; color: #111; margin: 2cm; }
  h1 { font-size: 16pt; margin: 0 0 0.5em; }
  dt { font-weight: 600; margin-top: 0.4em; }
  dd { margin: 0; margin-inline-start: 1.5em; }
  pre { font: 7.5pt/1.3 ui-monospace, monospace; white-space: pre-wrap; word-break: break-all; border: 1px solid #999; padding: 0.6em; }
`;

/** Fills `doc` with the printable receipt, in the reader's language (the JSON stays as the
 * checker reads it); kept apart from printing so it can be tested. */
export function writeReceipt(doc: Document, receipt: Receipt, title: string): void {
  const t = (key: string) => i18next.t(key);
  const language = languageOf(i18next.language);
  doc.documentElement.lang = language.code;
  doc.documentElement.dir = language.dir;
  doc.title = title;
  const style = doc.createElement("style");
  style.textContent = PRINT_STYLE;
  doc.head.append(style);
  const body = doc.body;
  add(doc, body, "h1", receipt.kind === "endorsement" ? t("receipt.titleSignature") : t("receipt.titleWithdrawal"));
  const facts = doc.createElement("dl");
  body.append(facts);
  const rows: [string, string][] = [
    [t("receipt.city"), `${receipt.city.name} (${receipt.city.country})`],
    [t("receipt.signer"), receipt.signer.title ? `${receipt.signer.name}, ${receipt.signer.title}` : receipt.signer.name],
    [t("receipt.signed"), formatDateTime(receipt.signed_at)],
    [t("receipt.entry"), formatNumber(receipt.seq)],
    [t("receipt.fingerprint"), receipt.content_hash],
  ];
  for (const [term, value] of rows) {
    add(doc, facts, "dt", term);
    add(doc, facts, "dd", value);
  }
  add(doc, body, "p", t("receipt.json"));
  add(doc, body, "pre", JSON.stringify(receipt, null, 2)).dir = "ltr";
}

/** Opens the browser's print dialog on the receipt alone (it offers “Save as PDF”). */
export function printReceipt(receipt: Receipt, title: string): void {
  const frame = document.createElement("iframe");
  frame.setAttribute("aria-hidden", "true");
  frame.style.cssText = "position:fixed;width:0;height:0;border:0;";
  document.body.append(frame);
  const view = frame.contentWindow;
  if (!view) {
    frame.remove();
    return;
  }
  writeReceipt(view.document, receipt, title);
  view.addEventListener("afterprint", () => frame.remove());
  view.focus();
  view.print();
}
