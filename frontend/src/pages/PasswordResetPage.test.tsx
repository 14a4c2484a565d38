import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../api/client";
import { PasswordResetPage } from "./PasswordResetPage";
import { SignInPage } from "./SignInPage";

function answer(status: number, body: unknown) {
  const ok = status < 400;
  return { data: ok ? body : undefined, error: ok ? undefined : body, response: new Response(null, { status }) } as never;
}

function renderAt(url: string, available = true) {
  vi.spyOn(api, "GET").mockResolvedValue(answer(200, { available, minutes: 30 }));
  const router = createMemoryRouter(
    [
      { path: "/login", element: <SignInPage /> },
      { path: "/reset-password", element: <PasswordResetPage /> },
    ],
    { initialEntries: [url] },
  );
  render(
    <QueryClientProvider client={new QueryClient()}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

afterEach(() => vi.restoreAllMocks());

describe("Forgot password", () => {
  it("is offered on the sign-in page when the platform sends mail", async () => {
    renderAt("/login");
    await userEvent.setup().click(await screen.findByRole("link", { name: "Forgot your password?" }));
    expect(await screen.findByRole("heading", { name: "Forgot your password" })).toBeInTheDocument();
  });

  it("sends the reader to the secretariat when it does not", async () => {
    renderAt("/login", false);
    expect(
      await screen.findByText("Forgot your password? Ask the conference secretariat to set a new one for you."),
    ).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Forgot your password?" })).not.toBeInTheDocument();
  });

  it("asks for a link and says the same whoever has the address", async () => {
    const post = vi.spyOn(api, "POST").mockResolvedValue(answer(202, { detail: "sent" }));
    renderAt("/reset-password");
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Email address"), "mayor@city.example");
    await user.click(screen.getByRole("button", { name: "Send the link" }));
    expect(await screen.findByText(/a link to set a new password is on its way to it/)).toBeInTheDocument();
    expect(post).toHaveBeenCalledWith("/api/auth/password-reset", { body: { email: "mayor@city.example" } });
  });

  it("sets the new password with the link's token, after checking the two fields agree", async () => {
    const post = vi.spyOn(api, "POST").mockResolvedValue(answer(200, { detail: "set" }));
    renderAt("/reset-password#token=the-token");
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("New password (at least 8 characters)"), "a long passphrase");
    await user.type(screen.getByLabelText("The new password again"), "another one");
    await user.click(screen.getByRole("button", { name: "Set the new password" }));
    expect(screen.getByText("The two passwords differ.")).toBeInTheDocument();
    expect(post).not.toHaveBeenCalled();
    await user.clear(screen.getByLabelText("The new password again"));
    await user.type(screen.getByLabelText("The new password again"), "a long passphrase");
    await user.click(screen.getByRole("button", { name: "Set the new password" }));
    expect(await screen.findByText("Your new password is set. Sign in with it.")).toBeInTheDocument();
    expect(post).toHaveBeenCalledWith("/api/auth/password-reset/confirm", {
      body: { token: "the-token", password: "a long passphrase" },
    });
  });

  it("says when a link cannot be used, and offers to ask again", async () => {
    vi.spyOn(api, "POST").mockResolvedValue(
      answer(409, { code: "reset_link_invalid", detail: "This link was used already: ask for a new one." }),
    );
    renderAt("/reset-password#token=used");
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("New password (at least 8 characters)"), "a long passphrase");
    await user.type(screen.getByLabelText("The new password again"), "a long passphrase");
    await user.click(screen.getByRole("button", { name: "Set the new password" }));
    expect(await screen.findByText("This link was used already: ask for a new one.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Ask for a new link" }));
    expect(await screen.findByRole("button", { name: "Send the link" })).toBeInTheDocument();
  });
});
