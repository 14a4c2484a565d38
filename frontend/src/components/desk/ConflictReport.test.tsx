import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { chooseLanguage } from "../../i18n";
import type { MergeConflict } from "../../api/types";
import { ConflictReport } from "./ConflictReport";

const head = "A source of creativity and prosperity.";
const kampala = {
  id: 7, declaration_id: 1, status: "accepted", open: true, decisions: ["reopen"], action: "modify", paragraph_key: "p6",
  base_version: 2, text: "A source of creativity, innovation and prosperity.", base_text: head, rationale: "",
  city: { id: 2, name: "Kampala", country: "UG", kind: "city", latitude: null, longitude: null },
  author: { id: 5, name: "Grace", role: "delegate" }, supporters: [], diff: [], decision_note: null, merged_version: null,
  created_at: "2026-12-06T10:00:00Z", updated_at: "2026-12-06T10:00:00Z",
};
const MECHELEN_WORDING = "A source of creativity, solidarity and prosperity.";

function conflict(competing: number[]): MergeConflict {
  return {
    amendment_id: 7,
    paragraph_key: "p6",
    reason: "Amendment 6, also in this merge, adds different words at the same place, after 'creativity'.",
    competing_amendments: competing,
    current_text: head,
    competing_text: competing.length > 0 ? MECHELEN_WORDING : null,
    proposed_text: kampala.text,
    clashing_words: "",
  };
}

function renderReport(conflicts: MergeConflict[], onCompromise = vi.fn()) {
  vi.spyOn(api, "GET").mockResolvedValue({ data: kampala, error: undefined, response: new Response(null) } as never);
  const noop = () => undefined;
  render(
    <QueryClientProvider client={new QueryClient()}>
      <ConflictReport
        conflicts={conflicts}
        head={2}
        whereOf={() => "paragraph 6"}
        cityOf={(id) => (id === 6 ? "Mechelen" : undefined)}
        onRemove={noop}
        onReject={noop}
        onCompromise={onCompromise}
        rejecting={null}
      />
    </QueryClientProvider>,
  );
  return onCompromise;
}

async function sidesOf() {
  const item = await screen.findByRole("heading", { name: "Amendment 7, paragraph 6 (Kampala)" });
  const li = item.closest("li") as HTMLElement;
  await within(li).findByText("Amendment 7 (Kampala)’s wording", { selector: ".side-label" });
  return [...li.querySelectorAll(".side")] as HTMLElement[];
}

afterEach(async () => {
  vi.restoreAllMocks();
  await chooseLanguage("en");
});

describe("ConflictReport", () => {
  it("shows every wording that clashes, each amendment's with its city, the clashing words marked", async () => {
    renderReport([conflict([6])]);
    const sides = await sidesOf();
    expect(sides).toHaveLength(3);
    expect(sides[0]).toHaveTextContent("Current text (version 2)");
    expect(sides[1]).toHaveTextContent("Amendment 6 (Mechelen), earlier in this merge");
    expect(sides[1]).toHaveTextContent(MECHELEN_WORDING);
    expect(sides[2]).toHaveTextContent(kampala.text);
    // Both insert after "creativity": what each adds there is marked.
    expect([...sides[1]!.querySelectorAll("mark")].map((m) => m.textContent)).toEqual(["solidarity"]);
    expect([...sides[2]!.querySelectorAll("mark")].map((m) => m.textContent)).toEqual(["innovation"]);
  });

  it("starts the compromise from both wordings, or from the one the co-facilitator picks", async () => {
    const onCompromise = renderReport([conflict([6])]);
    await sidesOf();
    const start = screen.getByRole("group", { name: "Start the compromise from" });
    expect(within(start).getByRole("radio", { name: "Both wordings, where they clash" })).toBeChecked();
    const write = screen.getByRole("button", { name: "Write compromise wording instead" });
    await userEvent.click(write);
    expect(onCompromise).toHaveBeenLastCalledWith(7, "p6", {
      text: "A source of creativity, solidarity / innovation and prosperity.",
      from: "both wordings, side by side where they clash",
    });
    await userEvent.click(within(start).getByRole("radio", { name: "Amendment 6 (Mechelen), earlier in this merge" }));
    await userEvent.click(write);
    expect(onCompromise).toHaveBeenLastCalledWith(7, "p6", {
      text: MECHELEN_WORDING,
      from: "the wording of amendment 6 (Mechelen)",
    });
  });

  it("puts two sides when the clash is with the head alone", async () => {
    renderReport([conflict([])]);
    expect(await sidesOf()).toHaveLength(2);
  });

  it("speaks the reader's language, counted in its grammar, the clashing words still marked", async () => {
    await chooseLanguage("ru");
    renderReport([conflict([6])]);
    expect(await screen.findByRole("heading", { name: "1 поправка в конфликте: ничего не объединено" })).toBeInTheDocument();
    const li = (await screen.findByRole("heading", { name: "Поправка 7, paragraph 6 (Kampala)" })).closest("li") as HTMLElement;
    const sides = [...li.querySelectorAll(".side")] as HTMLElement[];
    expect(sides[1]).toHaveTextContent("Поправка 6 (Mechelen), раньше в этом объединении");
    expect([...sides[2]!.querySelectorAll("mark")].map((m) => m.textContent)).toEqual(["innovation"]);
    expect(screen.getByRole("button", { name: "Написать компромиссную редакцию" })).toBeInTheDocument();
  });
});
