import { describe, expect, it } from "vitest";
import type { Amendment, Comment } from "../api/types";
import { activityOf, contestLevel, START } from "./activity";

function comment(id: number, key: string, extra: Partial<Comment> = {}): Comment {
  return {
    id,
    declaration_id: 1,
    paragraph_key: key,
    body: "b",
    author: { id: 1, name: "A", role: "delegate" },
    parent_id: null,
    status: "open",
    created_version: 1,
    quote: null,
    anchor: { state: "exact", start: null, end: null },
    anchored_version: 1,
    edited: false,
    created_at: "2017-11-16T10:00:00Z",
    ...extra,
  };
}

function amendment(id: number, key: string | null, city: number, status: Amendment["status"] = "proposed"): Amendment {
  return {
    id,
    declaration_id: 1,
    status,
    open: status === "proposed" || status === "accepted",
    decisions: [],
    action: key === null ? "insert" : "modify",
    paragraph_key: key,
    base_version: 1,
    text: "t",
    base_text: "b",
    rationale: "",
    city: { id: city, name: `City ${city}`, country: "BE", kind: "city" },
    author: { id: 1, name: "A", role: "delegate" },
    supporters: [],
    diff: [],
    decision_note: null,
    merged_version: null,
    created_at: "2017-11-16T10:00:00Z",
    updated_at: "2017-11-16T10:00:00Z",
  };
}

describe("activityOf", () => {
  it("counts open threads, open amendments and distinct proposing cities per paragraph", () => {
    const { byParagraph, replies } = activityOf(
      [comment(1, "a"), comment(2, "a", { status: "resolved" }), comment(3, "a", { parent_id: 1 })],
      [amendment(1, "a", 10), amendment(2, "a", 10), amendment(3, "a", 11, "accepted"), amendment(4, "a", 12, "rejected"), amendment(5, null, 10)],
    );
    const a = byParagraph.get("a");
    expect(a?.threads.map((c) => c.id)).toEqual([1, 2]);
    expect(a?.openThreads).toBe(1);
    expect(a?.amendments).toHaveLength(4);
    expect(a?.openAmendments).toBe(3);
    expect(a?.cities).toBe(2);
    expect(replies.get(1)?.map((c) => c.id)).toEqual([3]);
    expect(byParagraph.get(START)?.openAmendments).toBe(1);
  });

  it("names how contested a paragraph is", () => {
    expect(contestLevel(0).level).toBe(0);
    expect(contestLevel(1).words).toBe("1 city proposes changes");
    expect(contestLevel(3)).toEqual({ level: 2, words: "Contested: 3 cities propose changes" });
    expect(contestLevel(7).level).toBe(3);
  });
});
