// Reading a draft chosen by the user, in the browser (nothing is uploaded until they submit).
import i18next from "i18next";

export const MAX_DRAFT_BYTES = 2_500_000;
const TEXT_NAME = /\.(txt|text|md|markdown)$/i;

/** The file's text (UTF-8), or an Error whose message can be shown as it is (in the reader's language). */
export function readDraftFile(file: File): Promise<string> {
  if (!TEXT_NAME.test(file.name) && !file.type.startsWith("text/")) {
    return Promise.reject(new Error(i18next.t("common.file.notText", { name: file.name })));
  }
  if (file.size > MAX_DRAFT_BYTES) return Promise.reject(tooLarge(file));
  return readTextFile(file);
}

function tooLarge(file: File): Error {
  return new Error(i18next.t("common.file.tooLarge", { name: file.name, size: MAX_DRAFT_BYTES / 1_000_000 }));
}

/** A file's text (UTF-8, without a byte-order mark), whatever its name says it is. */
export function readTextFile(file: File): Promise<string> {
  if (file.size > MAX_DRAFT_BYTES) return Promise.reject(tooLarge(file));
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const text = typeof reader.result === "string" ? reader.result : "";
      // A byte-order mark is not part of the text.
      resolve(text.replace(/^\uFEFF/, ""));
    };
    reader.onerror = () => reject(new Error(i18next.t("common.file.unreadable", { name: file.name })));
    reader.readAsText(file, "utf-8");
  });
}

/** Paragraph count as the server will split it: blocks separated by blank lines. */
export function countBlocks(text: string): number {
  return text.replace(/\r\n?/g, "\n").split(/\n[ \t]*\n/).filter((block) => block.trim() !== "").length;
}

/** Save a blob as a file the user downloads (nothing leaves the browser). */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
