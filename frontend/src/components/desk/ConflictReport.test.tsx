import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import type { MergeConflict } from "../../api/types";
import { ConflictReport } from "./ConflictReport";

const head = [{ key: "p6", position: 6, kind: "paragraph", text: "A source of creativity and prosperity." }] as const;
const kampala = {
  id: 7, declaration_id: 1, status: "accepted", open: true, decisions: ["reopen"], action: "modify", paragraph_key: "p6",
  base_version: 2, text: "A source of creativity, innovation and prosperity.", base_text: head[0].text, rationale: "",
  city: { id: 2, name: "Kampala", country: "UG", kind: "city", latitude: null, longitude: null },
  author: { id: 5, name: "Grace", role: "delegate" }, supporters: [], diff: [], decision_note: null, merged_version: null,
  created_at: "2026-12-06T10:00:00Z", updated_at: "2026-12-06T10:00:00Z",
};

function conflict(competing: number[]): MergeConflict {
  return {
    amendment_id: 7,
    paragraph_key: "p6",
    reason: "Amendment 6, also in this merge, adds different words at the same place.",
    competing_amendments: competing,
    current_text: head[0].text,
    competing_text: competing.length > 0 ? "A source of creativity, solidarity and prosperity." : null,
    proposed_text: kampala.text,
    clashing_words: "",
  };
}

function renderReport(conflicts: MergeConflict[]) {
  vi.spyOn(api, "GET").mockResolvedValue({ data: kampala, error: undefined, response: new Response(null) } as never);
  const noop = () => undefined;
  render(
    <QueryClientProvider client={new QueryClient()}>
      <ConflictReport
        conflicts={conflicts}
        head={2}
        headParagraphs={head}
        whereOf={() => "paragraph 6"}
        onRemove={noop}
        onReject={noop}
        onCompromise={noop}
        rejecting={null}
        chosenByParagraph={new Map([["p6", [6, 7]]])}
      />
    </QueryClientProvider>,
  );
}

afterEach(() => vi.restoreAllMocks());

describe("ConflictReport", () => {
  it("shows the wording of the amendments it clashes with, beside the head's and its own", async () => {
    renderReport([conflict([6])]);
    const item = await screen.findByRole("heading", { name: "Amendment 7, paragraph 6 (Kampala)" });
    const sides = [...(item.closest("li") as HTMLElement).querySelectorAll(".side")] as HTMLElement[];
    expect(sides).toHaveLength(3);
    expect(within(sides[0]!).getByText("Current text (version 2)")).toBeInTheDocument();
    expect(within(sides[1]!).getByText("With amendment 6, earlier in this merge")).toBeInTheDocument();
    expect(sides[1]).toHaveTextContent("creativity, solidarity and prosperity");
    expect(sides[2]).toHaveTextContent("creativity, innovation and prosperity");
  });

  it("puts two sides when the clash is with the head alone", async () => {
    renderReport([conflict([])]);
    const item = await screen.findByRole("heading", { name: "Amendment 7, paragraph 6 (Kampala)" });
    expect((item.closest("li") as HTMLElement).querySelectorAll(".side")).toHaveLength(2);
  });
});
