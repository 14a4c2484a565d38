import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, render, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { useAllSignatures } from "../../api/queries";
import type { LiveEvent } from "../../lib/liveStream";
import { SignatoryMap } from "../endorsement/SignatoryMap";
import { refresh } from "./LiveUpdates";

const signatory = (id: number, name: string, latitude: number, longitude: number) => ({
  id,
  seq: id,
  withdrawn: false,
  city: { id, name, country: "BE", latitude, longitude },
});

function answer(items: unknown[]) {
  const body = { items, total: items.length, limit: 500, offset: 0 };
  return { data: body, error: undefined, response: new Response(null, { status: 200 }) } as never;
}

// The endorsement page's map, fed as the page feeds it.
function MapOfSignatories({ declarationId }: { declarationId: number }) {
  const all = useAllSignatures(declarationId);
  return all.data ? <SignatoryMap signatories={all.data} /> : null;
}

afterEach(() => vi.restoreAllMocks());

describe("the live stream and the signatory map", () => {
  it("puts a new signatory on the map when a signature event arrives", async () => {
    const mechelen = signatory(1, "Mechelen", 51.03, 4.48);
    const malmo = signatory(2, "Malmö", 55.6, 13.0);
    const get = vi
      .spyOn(api, "GET")
      .mockResolvedValueOnce(answer([mechelen]))
      .mockResolvedValueOnce(answer([mechelen, malmo]));
    const queryClient = new QueryClient();
    const { container } = render(
      <QueryClientProvider client={queryClient}>
        <MapOfSignatories declarationId={3} />
      </QueryClientProvider>,
    );
    const dots = () => container.querySelectorAll("circle.map-dot");
    await waitFor(() => expect(dots()).toHaveLength(1));

    const signed: LiveEvent = {
      id: 12,
      type: "signature.added",
      declaration_id: 3,
      target: { type: "signature", id: 2 },
      actor: { id: 9, name: "Katrin" },
      at: "2026-12-06T09:00:00Z",
    };
    act(() => refresh(queryClient, signed));

    await waitFor(() => expect(dots()).toHaveLength(2));
    expect(get).toHaveBeenCalledTimes(2);
    expect(get).toHaveBeenLastCalledWith(
      "/api/declarations/{declaration_id}/signatures",
      expect.objectContaining({
        params: expect.objectContaining({ path: { declaration_id: 3 } }),
      }),
    );
  });
});
