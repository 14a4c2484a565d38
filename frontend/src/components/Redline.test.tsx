import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { DiffOp } from "../api/types";
import { newText, oldText } from "../lib/redline";
import { Redline } from "./Redline";

function renderRedline(diff: DiffOp[]) {
  const { container } = render(
    <p data-testid="redline">
      <Redline diff={diff} />
    </p>,
  );
  return container.querySelector("p") as HTMLParagraphElement;
}

/** The text a reader would get by accepting (new) or rejecting (old) every change in the DOM. */
function textFromDom(root: HTMLElement, drop: "ins" | "del"): string {
  const copy = root.cloneNode(true) as HTMLElement;
  copy.querySelectorAll(drop).forEach((node) => node.remove());
  return copy.textContent ?? "";
}

describe("Redline", () => {
  const diff: DiffOp[] = [
    ["equal", "We commit to give every "],
    ["delete", "resident"],
    ["insert", "person living in our city"],
    ["equal", ", regardless of status, access to basic services"],
    ["insert", " and to justice"],
    ["equal", "."],
  ];

  it("marks insertions with <ins> and deletions with <del>, in order", () => {
    const root = renderRedline(diff);
    const ins = [...root.querySelectorAll("ins")].map((node) => node.textContent);
    const del = [...root.querySelectorAll("del")].map((node) => node.textContent);
    expect(ins).toEqual(["person living in our city", " and to justice"]);
    expect(del).toEqual(["resident"]);
    expect([...root.children].map((node) => node.tagName)).toEqual(["SPAN", "DEL", "INS", "SPAN", "INS", "SPAN"]);
  });

  it("rebuilds the old and the new text exactly", () => {
    const root = renderRedline(diff);
    const before = "We commit to give every resident, regardless of status, access to basic services.";
    const after =
      "We commit to give every person living in our city, regardless of status, access to basic services and to justice.";
    expect(oldText(diff)).toBe(before);
    expect(newText(diff)).toBe(after);
    expect(textFromDom(root, "ins")).toBe(before);
    expect(textFromDom(root, "del")).toBe(after);
  });

  it("renders markup in the text as text, never as HTML", () => {
    const root = renderRedline([
      ["equal", "a <b>bold</b> claim "],
      ["insert", "<img src=x onerror=alert(1)>"],
    ]);
    expect(root.querySelector("b")).toBeNull();
    expect(root.querySelector("img")).toBeNull();
    expect(root.querySelector("ins")).toHaveTextContent("<img src=x onerror=alert(1)>");
  });

  it("keeps whitespace and non-Latin scripts as they are", () => {
    const parts: DiffOp[] = [
      ["equal", "مدينة "],
      ["delete", "عمّان"],
      ["insert", "الدار البيضاء"],
      ["equal", "  東京都 "],
    ];
    const root = renderRedline(parts);
    expect(root.textContent).toBe("مدينة عمّانالدار البيضاء  東京都 ");
    expect(textFromDom(root, "ins")).toBe(oldText(parts));
  });

  it("renders nothing for an empty redline", () => {
    expect(renderRedline([]).childNodes).toHaveLength(0);
  });
});
