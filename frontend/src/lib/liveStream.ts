// The live stream of a declaration (Server-Sent Events), read with fetch: the browser's
// EventSource cannot send the bearer token. Reconnects after the server's `retry` with
// Last-Event-ID, so nothing committed in between is missed; the server then also sends again
// what was recorded just before that event (one may have committed after it), so events
// already seen are skipped.

export interface LiveEvent {
  id: number;
  type: string;
  declaration_id: number;
  target: { type: string; id: number | string };
  actor: { id: number; name: string | null } | null;
  at: string;
}

/** Splits a chunk of the stream into complete events; answers them and what is left over. */
export function parseFrames(buffer: string): { events: LiveEvent[]; rest: string; retry?: number } {
  const events: LiveEvent[] = [];
  let retry: number | undefined;
  const blocks = buffer.replace(/\r\n?/g, "\n").split("\n\n");
  const rest = blocks.pop() ?? "";
  for (const block of blocks) {
    let data = "";
    let id: string | undefined;
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) continue; // a heartbeat
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "data") data += (data ? "\n" : "") + value;
      else if (field === "id") id = value;
      else if (field === "retry" && /^\d+$/.test(value)) retry = Number(value);
    }
    if (data && id !== undefined) {
      try {
        events.push({ ...(JSON.parse(data) as Omit<LiveEvent, "id">), id: Number(id) });
      } catch {
        // A frame that is not JSON is not ours: skipped.
      }
    }
  }
  return { events, rest, retry };
}

/** Reads the declaration's stream until `signal` aborts, calling `onEvent` for each event. */
export async function watchDeclaration(
  declarationId: number,
  token: () => string | null,
  onEvent: (event: LiveEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  let lastId: number | undefined;
  const seen = new RecentIds();
  let wait = 2000;
  while (!signal.aborted) {
    try {
      const headers: Record<string, string> = { Accept: "text/event-stream" };
      const bearer = token();
      if (!bearer) return;
      headers.Authorization = `Bearer ${bearer}`;
      if (lastId !== undefined) headers["Last-Event-ID"] = String(lastId);
      const response = await fetch(`/api/declarations/${declarationId}/stream`, { headers, signal });
      if (response.status === 401 || response.status === 404) return;
      if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const parsed = parseFrames(buffer + value);
        buffer = parsed.rest;
        if (parsed.retry !== undefined) wait = parsed.retry;
        for (const event of parsed.events) {
          if (!seen.add(event.id)) continue;
          lastId = Math.max(lastId ?? 0, event.id);
          onEvent(event);
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** The ids of the latest events seen, as many as a reconnection may send again. */
export class RecentIds {
  private readonly ids = new Set<number>();

  constructor(private readonly limit = 2000) {}

  /** Whether `id` is new (it is then remembered, the oldest forgotten past the limit). */
  add(id: number): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.limit) this.ids.delete(this.ids.values().next().value!);
    return true;
  }
}
