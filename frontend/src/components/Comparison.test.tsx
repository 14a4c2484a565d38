import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Comparison } from "../api/types";
import { ComparisonView } from "./Comparison";

const comparison: Comparison = {
  from: 1,
  to: 2,
  summary: { unchanged: 3, modified: 1, inserted: 1, deleted: 1 },
  paragraphs: [
    { key: "h1", kind: "heading", status: "unchanged", from_position: 1, to_position: 1, diff: [["equal", "Preamble"]] },
    { key: "a", kind: "paragraph", status: "unchanged", from_position: 2, to_position: 2, diff: [["equal", "First."]] },
    { key: "b", kind: "paragraph", status: "deleted", from_position: 3, to_position: null, diff: [["delete", "Second."]] },
    {
      key: "c",
      kind: "paragraph",
      status: "modified",
      from_position: 4,
      to_position: 3,
      diff: [["equal", "Third "], ["delete", "old"], ["insert", "new"], ["equal", "."]],
    },
    { key: "d", kind: "paragraph", status: "inserted", from_position: null, to_position: 4, diff: [["insert", "Fourth."]] },
    { key: "e", kind: "paragraph", status: "unchanged", from_position: 5, to_position: 5, diff: [["equal", "Last."]] },
  ],
};

describe("ComparisonView", () => {
  it("shows the counts and every change with its status in words", () => {
    render(<ComparisonView comparison={comparison} />);
    const summary = screen.getByRole("list", { name: "Changes from version 1 to version 2" });
    expect(within(summary).getByText("1 paragraph modified")).toBeInTheDocument();
    expect(within(summary).getByText("1 inserted")).toBeInTheDocument();
    expect(within(summary).getByText("3 unchanged")).toBeInTheDocument();
    expect(screen.getByText("Deleted")).toBeInTheDocument();
    expect(screen.getByText("Inserted")).toBeInTheDocument();
    expect(screen.getByText("Modified")).toBeInTheDocument();
    // Paragraph numbers do not count headings; a moved number shows both.
    expect(screen.getByText("Paragraph 3 → 2")).toBeInTheDocument();
    expect(screen.getByText("Second.").tagName).toBe("DEL");
    expect(screen.getByText("Fourth.").tagName).toBe("INS");
  });

  it("folds runs of unchanged paragraphs, and opens them on demand", async () => {
    render(<ComparisonView comparison={comparison} />);
    const run = screen.getByText("Unchanged: paragraph 1 and 1 heading");
    expect(run.closest("details")).not.toHaveAttribute("open");
    await userEvent.click(run);
    expect(run.closest("details")).toHaveAttribute("open");
    expect(screen.getByText("First.")).toBeVisible();
    expect(screen.getByText("Unchanged: paragraph 4")).toBeInTheDocument();
  });

  it("puts the old wording beside the new in side-by-side mode", () => {
    render(<ComparisonView comparison={comparison} layout="side" />);
    const modified = screen.getByText("Paragraph 3 → 2").closest("li") as HTMLElement;
    const [before, after] = [...modified.querySelectorAll(".side")] as HTMLElement[];
    expect(within(before!).getByText("Version 1")).toBeInTheDocument();
    expect(within(after!).getByText("Version 2")).toBeInTheDocument();
    expect(before!.querySelector("del")).toHaveTextContent("old");
    expect(before!.querySelector("ins")).toBeNull();
    expect(after!.querySelector("ins")).toHaveTextContent("new");
    expect(after!.querySelector("del")).toBeNull();
    expect(before!.querySelector(".redline")?.textContent).toBe("Third old.");
    expect(after!.querySelector(".redline")?.textContent).toBe("Third new.");
    // An inserted paragraph has no old side; a deleted one no new side.
    const inserted = screen.getByText("Fourth.").closest("li") as HTMLElement;
    expect(within(inserted).getByText("(not in version 1)")).toBeInTheDocument();
    expect(screen.getByText("1 paragraph modified")).toBeInTheDocument();
  });
});
