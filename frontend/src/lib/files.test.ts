import { describe, expect, it } from "vitest";
import { countBlocks, readDraftFile } from "./files";

describe("readDraftFile", () => {
  it("reads a text file as UTF-8 and drops a byte-order mark", async () => {
    const file = new File(["\uFEFF# Préambule\n\nNous, maires de Київ et de 東京都."], "draft.md", { type: "" });
    await expect(readDraftFile(file)).resolves.toBe("# Préambule\n\nNous, maires de Київ et de 東京都.");
  });

  it("refuses what is not a text file", async () => {
    const file = new File(["%PDF-1.7"], "draft.pdf", { type: "application/pdf" });
    await expect(readDraftFile(file)).rejects.toThrow("“draft.pdf” is not a text file. Choose a .txt or .md file.");
  });
});

describe("countBlocks", () => {
  it("counts blocks separated by blank lines, whatever the line endings", () => {
    expect(countBlocks("# A\r\n\r\nOne\r\nstill one\r\n \r\nTwo\n\n\n")).toBe(3);
    expect(countBlocks("   ")).toBe(0);
  });
});
