import { describe, expect, it } from "vitest";
import { staleKeys } from "../components/live/LiveUpdates";
import { parseFrames, RecentIds } from "./liveStream";

const data = (type: string, target: object) =>
  JSON.stringify({ type, declaration_id: 3, target, actor: { id: 7, name: "Ana" }, at: "2026-12-06T09:00:00Z" });

describe("parseFrames", () => {
  it("reads whole events, skips heartbeats and keeps a partial one for later", () => {
    const stream =
      "retry: 2000\n\n" +
      `event: comment.created\nid: 41\ndata: ${data("comment.created", { type: "comment", id: 8 })}\n\n` +
      ": keep-alive\n\n" +
      `event: version.created\nid: 42\ndata: ${data("version.created", { type: "version", id: 2 })}`;
    const first = parseFrames(stream);
    expect(first.retry).toBe(2000);
    expect(first.events.map((e) => [e.id, e.type, e.target.id])).toEqual([[41, "comment.created", 8]]);
    expect(first.rest).toContain("id: 42");
    const second = parseFrames(first.rest + "\n\n");
    expect(second.events.map((e) => [e.id, e.type])).toEqual([[42, "version.created"]]);
    expect(second.rest).toBe("");
  });

  it("reads CRLF line ends and ignores a frame without JSON", () => {
    const { events } = parseFrames(`id: 5\r\ndata: not json\r\n\r\nid: 6\r\ndata: ${data("signature.added", { type: "signature", id: 1 })}\r\n\r\n`);
    expect(events.map((e) => e.id)).toEqual([6]);
  });
});

describe("staleKeys", () => {
  const event = (type: string, target = { type: "x", id: 9 }) => ({
    id: 1,
    type,
    declaration_id: 3,
    target,
    actor: null,
    at: "",
  });

  it("refreshes what each event changed", () => {
    expect(staleKeys(event("comment.created"))).toContainEqual(["declarations", 3, "comments"]);
    expect(staleKeys(event("amendment.decided"))).toEqual(
      expect.arrayContaining([["declarations", 3, "amendments"], ["amendments", 9]]),
    );
    expect(staleKeys(event("signature.added"))).toEqual([["declarations", 3, "signatures"]]);
    // The head is left as it is read (the banner offers the new version).
    expect(staleKeys(event("version.created"))).toContainEqual(["declarations", 3, "versions"]);
    expect(staleKeys(event("version.created"))).not.toContainEqual(["declarations", 3]);
    expect(staleKeys(event("declaration.status"))).toContainEqual(["declarations", 3]);
  });
});

describe("RecentIds", () => {
  it("takes an id once and forgets the oldest past its limit", () => {
    const seen = new RecentIds(2);
    expect([seen.add(5), seen.add(3), seen.add(5)]).toEqual([true, true, false]);
    expect(seen.add(7)).toBe(true); // 5 forgotten
    expect([seen.add(5), seen.add(7)]).toEqual([true, false]);
  });
});
