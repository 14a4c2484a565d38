import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { chooseLanguage, LANGUAGES } from "../../i18n";
import { NotificationBell } from "./NotificationBell";

const notice = (id: number, read: boolean) => ({
  id,
  kind: "endorsement.open",
  declaration_id: 3,
  target: { type: "declaration", id: 3 },
  actor_id: 1,
  text: `“Pact ${id}” is open for signature.`,
  link: "/declarations/3/endorsement",
  created_at: "2026-12-06T09:00:00Z",
  read_at: read ? "2026-12-06T09:05:00Z" : null,
});

function answer(body: unknown) {
  return { data: body, error: undefined, response: new Response(null, { status: 200 }) } as never;
}

afterEach(async () => {
  vi.restoreAllMocks();
  await chooseLanguage("en");
});

function renderBell() {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <RouterProvider router={createMemoryRouter([{ path: "/", element: <NotificationBell /> }])} />
    </QueryClientProvider>,
  );
}

describe("NotificationBell", () => {
  it("counts the unread, lists them, and marks one read as it is opened", async () => {
    vi.spyOn(api, "GET").mockResolvedValue(
      answer({ items: [notice(2, false), notice(1, true)], total: 2, unread: 1, limit: 20, offset: 0 }),
    );
    const post = vi.spyOn(api, "POST").mockResolvedValue(answer({ unread: 0 }));
    const router = createMemoryRouter(
      [
        { path: "/", element: <NotificationBell /> },
        { path: "/declarations/3/endorsement", element: <p>The endorsement page</p> },
      ],
      { initialEntries: ["/"] },
    );
    render(
      <QueryClientProvider client={new QueryClient()}>
        <RouterProvider router={router} />
      </QueryClientProvider>,
    );
    const user = userEvent.setup();
    const bell = await screen.findByRole("button", { name: "Notifications, 1 unread" });
    await user.click(bell);
    expect(screen.getByRole("region", { name: "Notifications" })).toBeInTheDocument();
    await user.click(screen.getByRole("link", { name: /Unread:.*“Pact 2” is open for signature\./ }));
    expect(post).toHaveBeenCalledWith("/api/me/notifications/read", { body: { ids: [2], all: false } });
    expect(await screen.findByText("The endorsement page")).toBeInTheDocument();
  });

  it("says in its name the number its badge shows, in every language", async () => {
    for (const language of LANGUAGES) {
      for (const unread of [1, 2, 5, 11]) {
        await chooseLanguage(language.code);
        vi.spyOn(api, "GET").mockResolvedValue(answer({ items: [], total: unread, unread, limit: 20, offset: 0 }));
        renderBell();
        const bell = screen.getByRole("button", { expanded: false });
        const badge = await waitFor(() => bell.querySelector(".bell-count")!.textContent!);
        expect(bell.getAttribute("aria-label"), `${language.code} ${unread}`).toContain(badge);
        cleanup();
      }
    }
  });
});
