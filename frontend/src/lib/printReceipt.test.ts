import { afterEach, describe, expect, it } from "vitest";
import type { Receipt } from "../api/types";
import { chooseLanguage } from "../i18n";
import { writeReceipt } from "./printReceipt";

const receipt = {
  id: 7,
  kind: "endorsement",
  seq: 3,
  withdraws: null,
  city: { id: 1, name: "Mechelen <b>", country: "BE" },
  signer: { name: "Bart Somers", title: "Mayor" },
  signed_at: "2026-12-06T08:50:00Z",
  content_hash: "sha256:abc",
  inclusion_proof: ["sha256:def"],
} as unknown as Receipt;

afterEach(async () => {
  await chooseLanguage("en");
  localStorage.clear();
});

describe("writeReceipt", () => {
  it("writes the receipt in words, then whole as JSON, as text (never as markup)", () => {
    const doc = document.implementation.createHTMLDocument("");
    writeReceipt(doc, receipt, "receipt-declaration-1-seq-3");
    expect(doc.title).toBe("receipt-declaration-1-seq-3");
    expect(doc.querySelector("h1")?.textContent).toBe("Receipt of a signature");
    expect(doc.body.textContent).toContain("Mechelen <b> (BE)");
    expect(doc.querySelector("b")).toBeNull();
    expect(JSON.parse(doc.querySelector("pre")?.textContent ?? "")).toEqual(receipt);
  });

  it("writes its words in the reader's language and direction, the JSON unchanged and left to right", async () => {
    await chooseLanguage("ar");
    const doc = document.implementation.createHTMLDocument("");
    writeReceipt(doc, receipt, "receipt-declaration-1-seq-3");
    expect(doc.documentElement.dir).toBe("rtl");
    expect(doc.documentElement.lang).toBe("ar");
    expect(doc.querySelector("h1")?.textContent).toBe("إيصال توقيع");
    expect(doc.querySelector("pre")?.dir).toBe("ltr");
    expect(JSON.parse(doc.querySelector("pre")?.textContent ?? "")).toEqual(receipt);
  });
});
