// A signer's receipt as a page of its own, printed (or saved as PDF by the browser's print
// dialog): what it says in words, then the whole receipt as JSON, which is what a checker reads.
import type { Receipt } from "../api/types";
import { formatDateTime } from "./words";

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
  dd { margin: 0 0 0 1.5em; }
  pre { font: 7.5pt/1.3 ui-monospace, monospace; white-space: pre-wrap; word-break: break-all; border: 1px solid #999; padding: 0.6em; }
`;

/** Fills `doc` with the printable receipt; kept apart from printing so it can be tested. */
export function writeReceipt(doc: Document, receipt: Receipt, title: string): void {
  doc.title = title;
  const style = doc.createElement("style");
  style.textContent = PRINT_STYLE;
  doc.head.append(style);
  const body = doc.body;
  add(doc, body, "h1", receipt.kind === "endorsement" ? "Receipt of a signature" : "Receipt of a withdrawal");
  const facts = doc.createElement("dl");
  body.append(facts);
  const rows: [string, string][] = [
    ["City", `${receipt.city.name} (${receipt.city.country})`],
    ["Signer", receipt.signer.title ? `${receipt.signer.name}, ${receipt.signer.title}` : receipt.signer.name],
    ["Signed", formatDateTime(receipt.signed_at)],
    ["Entry in the signature log", String(receipt.seq)],
    ["Fingerprint of the text (SHA-256)", receipt.content_hash],
  ];
  for (const [term, value] of rows) {
    add(doc, facts, "dt", term);
    add(doc, facts, "dd", value);
  }
  add(doc, body, "p", "The whole receipt follows as JSON: `concord verify --receipt` checks it against the platform's keys.");
  add(doc, body, "pre", JSON.stringify(receipt, null, 2));
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
