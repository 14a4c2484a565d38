import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../api/client";
import { getToken, signOut } from "../lib/auth";
import { SignInPage } from "./SignInPage";

function renderSignIn() {
  const router = createMemoryRouter(
    [
      { path: "/login", element: <SignInPage /> },
      { path: "/declarations", element: <p>The declarations</p> },
    ],
    { initialEntries: ["/login"] },
  );
  render(
    <QueryClientProvider client={new QueryClient()}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

function answer(status: number, body: unknown) {
  const ok = status < 400;
  return { data: ok ? body : undefined, error: ok ? undefined : body, response: new Response(null, { status }) } as never;
}

async function signInWith(email: string, password: string) {
  const user = userEvent.setup();
  if (email) await user.type(screen.getByLabelText("Email address"), email);
  if (password) await user.type(screen.getByLabelText("Password"), password);
  await user.click(screen.getByRole("button", { name: "Sign in" }));
}

afterEach(() => signOut());

describe("SignInPage", () => {
  it("says what is missing before asking the server", async () => {
    const post = vi.spyOn(api, "POST");
    renderSignIn();
    await signInWith("", "");
    expect(screen.getByText("Enter your email address.")).toBeInTheDocument();
    expect(screen.getByText("Enter your password.")).toBeInTheDocument();
    expect(screen.getByLabelText("Email address")).toHaveAttribute("aria-invalid", "true");
    expect(post).not.toHaveBeenCalled();
  });

  it("shows the server's sentence when sign-ins are throttled (429)", async () => {
    vi.spyOn(api, "POST").mockResolvedValue(
      answer(429, { detail: "Too many failed sign-ins. Try again in 42 seconds.", code: "login_throttled" }),
    );
    renderSignIn();
    await signInWith("delegate@concord.example", "not-the-password");
    expect(await screen.findByRole("alert")).toHaveTextContent("Too many failed sign-ins. Try again in 42 seconds.");
    expect(screen.queryByText("login_throttled")).not.toBeInTheDocument();
    expect(screen.getByLabelText("Password")).toHaveValue("");
    expect(getToken()).toBeNull();
  });

  it("posts the form, keeps the token and goes on to the declarations", async () => {
    const post = vi
      .spyOn(api, "POST")
      .mockResolvedValue(answer(200, { access_token: "t0ken", token_type: "bearer", expires_in: 3600 }));
    renderSignIn();
    await signInWith("cofacilitator@concord.example", "cofac-demo-2017");
    expect(await screen.findByText("The declarations")).toBeInTheDocument();
    expect(getToken()).toBe("t0ken");
    expect(post).toHaveBeenCalledWith(
      "/api/auth/token",
      expect.objectContaining({
        body: { username: "cofacilitator@concord.example", password: "cofac-demo-2017" },
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      }),
    );
  });
});
