import { describe, expect, it } from "vitest";
import { bothWordings, markClash, type MarkedPart } from "./clash";

const base = "Everyone has access to basic services, including health care.";
const marked = (parts: MarkedPart[]) => parts.filter((p) => p.marked).map((p) => p.text);
const whole = (parts: MarkedPart[]) => parts.map((p) => p.text).join("");

describe("markClash", () => {
  it("marks the clashing words themselves in a wording that keeps them", () => {
    const parts = markClash(base, "basic services", base);
    expect(marked(parts)).toEqual(["basic services"]);
    expect(whole(parts)).toBe(base);
  });

  it("marks what a wording puts in place of the clashing words, and nothing else it changes", () => {
    const wording = "Everyone has access to essential public services, including health care and shelter.";
    const parts = markClash(base, "basic services", wording);
    expect(marked(parts)).toEqual(["essential public services"]);
    expect(whole(parts)).toBe(wording);
  });

  it("marks every word a wording adds when both sides insert at one place", () => {
    const wording = "Everyone has access to basic services, including free health care.";
    expect(marked(markClash(base, "", wording))).toEqual(["free"]);
  });

  it("marks nothing without the base text, or when the words are not in it", () => {
    expect(marked(markClash(null, "basic", base))).toEqual([]);
    expect(marked(markClash(base, "advanced", base))).toEqual([]);
  });
});

describe("bothWordings", () => {
  it("puts the other wording's words after the frame's where they clash", () => {
    const frame = markClash(base, "basic services", base.replace("basic", "essential"));
    const other = markClash(base, "basic services", base.replace("basic", "quality"));
    expect(bothWordings(frame, other)).toBe(
      "Everyone has access to essential services / quality services, including health care.",
    );
  });

  it("gives up when a side has no single marked run", () => {
    const frame = markClash(base, "basic services", base.replace("basic services", ""));
    expect(bothWordings(frame, markClash(base, "basic services", base))).toBeNull();
  });
});
