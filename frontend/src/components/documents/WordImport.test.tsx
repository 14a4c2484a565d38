import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import type { Me, Version, WordImport as WordImportResult } from "../../api/types";
import { WordImport } from "./WordImport";

const VERSION = {
  number: 2,
  paragraphs: [
    { key: "h1", position: 1, kind: "heading", text: "Commitments" },
    { key: "p1", position: 2, kind: "paragraph", text: "We commit within thirty days." },
    { key: "p2", position: 3, kind: "paragraph", text: "We will meet again." },
  ],
} as unknown as Version;
const ME = { id: 3, name: "Sarah", role: "delegate", city: { id: 1, name: "Kampala" } } as unknown as Me;

function preview(dryRun: boolean): WordImportResult {
  return {
    dry_run: dryRun,
    mode: "keyed",
    base_version: 2,
    amendments: [
      {
        id: dryRun ? null : 41,
        action: "modify",
        paragraph_key: "p1",
        kind: "paragraph",
        base_text: "We commit within thirty days.",
        text: "We commit within fifteen days.",
        rationale: "",
        diff: [["equal", "We commit within "], ["delete", "thirty"], ["insert", "fifteen"], ["equal", " days."]],
        authors: ["Sarah"],
        moved: false,
        whole_paragraph: false,
      },
    ],
    comments: [],
    warnings: [{ code: "formatting_only", detail: "1 paragraph(s) have formatting-only revisions." }],
    formatting_only: 1,
  };
}

function renderImport() {
  const post = vi.spyOn(api, "POST").mockImplementation((async (_path: string, options: { body: FormData }) => {
    const dryRun = options.body.get("dry_run") === "true";
    return { data: preview(dryRun), response: new Response(null, { status: dryRun ? 200 : 201 }) };
  }) as never);
  render(
    <QueryClientProvider client={new QueryClient()}>
      <WordImport declarationId={7} version={VERSION} headVersion={2} me={ME} />
    </QueryClientProvider>,
  );
  return post;
}

describe("Upload your marked-up Word file", () => {
  it("previews the amendments before anything is proposed, then proposes them", async () => {
    const user = userEvent.setup();
    const post = renderImport();
    const file = new File(["PK"], "marked-up.docx", {
      type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    });
    await user.upload(screen.getByLabelText("Word file (.docx)"), file);
    await user.click(screen.getByRole("button", { name: "Preview the amendments" }));
    expect(await screen.findByText("Change paragraph 1")).toBeInTheDocument();
    expect(screen.getByText("thirty").tagName).toBe("DEL");
    expect(screen.getByText("fifteen").tagName).toBe("INS");
    expect(screen.getByText(/formatting-only revisions/)).toBeInTheDocument();
    expect(post).toHaveBeenCalledTimes(1);
    const sent = (post.mock.calls[0]?.[1] as unknown as { body: FormData }).body;
    expect(sent.get("dry_run")).toBe("true");
    expect(sent.get("file")).toBe(file);
    await user.click(screen.getByRole("button", { name: "Propose 1 amendment" }));
    expect(await screen.findByText("Proposed 1 amendment of Kampala.")).toBeInTheDocument();
    expect((post.mock.calls[1]?.[1] as unknown as { body: FormData }).body.get("dry_run")).toBe("false");
  });

  it("refuses a file over the upload limit without sending it", async () => {
    const user = userEvent.setup();
    const post = renderImport();
    const big = new File([new Uint8Array(4_000_001)], "big.docx");
    await user.upload(screen.getByLabelText("Word file (.docx)"), big);
    expect(screen.getByRole("alert")).toHaveTextContent("larger than 4 MB");
    await user.click(screen.getByRole("button", { name: "Preview the amendments" }));
    expect(post).not.toHaveBeenCalled();
  });
});
