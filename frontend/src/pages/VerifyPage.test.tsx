/// <reference types="node" />
// The /verify page checks against the platform's published keys unless the reader chooses
// otherwise, and says which keys a verdict rests on.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../api/client";
import { chooseLanguage } from "../i18n";
import { plainVerdict, VerifyPage } from "./VerifyPage";

// The fixtures the verifier's own tests use (made by tests/endorsements/verify_fixtures.py).
const fixture = (name: string) => readFileSync(resolve("src/lib/verify/fixtures", name));
const platformKeys: unknown = JSON.parse(fixture("platform-jwks.json").toString("utf8"));
const tampered = JSON.parse(fixture("tampered.json").toString("utf8")) as Record<string, unknown>;

/** A File as the page reads it (jsdom's File has no arrayBuffer()). */
function file(name: string, content: Buffer | string): File {
  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : new Uint8Array(content);
  return Object.assign(new File([bytes], name), { arrayBuffer: async () => bytes.slice().buffer });
}

function renderPage() {
  const router = createMemoryRouter([{ path: "/verify", element: <VerifyPage /> }], { initialEntries: ["/verify"] });
  render(
    <QueryClientProvider client={new QueryClient()}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

function publishedKeys() {
  return vi
    .spyOn(api, "GET")
    .mockResolvedValue({ data: platformKeys, error: undefined, response: new Response(null, { status: 200 }) } as never);
}

afterEach(async () => {
  vi.restoreAllMocks();
  await chooseLanguage("en");
  localStorage.clear();
});

describe("VerifyPage", () => {
  it("checks against the keys this platform publishes by default", async () => {
    const get = publishedKeys();
    renderPage();
    await userEvent.setup().upload(screen.getByLabelText("Choose a file"), file("bundle.json", fixture("bundle.json")));
    expect(await screen.findByRole("heading", { name: "✓ Valid: 5 signatories" })).toBeInTheDocument();
    expect(screen.getByText(/checked against the keys this platform publishes\./)).toBeInTheDocument();
    expect(get).toHaveBeenCalledWith("/api/.well-known/jwks.json", {});
    expect(screen.getByText("Seal signed by key")).toBeInTheDocument();
  });

  it("refuses a forger's seal against the platform's keys", async () => {
    publishedKeys();
    renderPage();
    const forged = JSON.stringify(tampered["forged-dropped-withdrawal"]);
    await userEvent.setup().upload(screen.getByLabelText("Choose a file"), file("forged.json", forged));
    expect(await screen.findByRole("heading", { name: "✗ Not valid: 1 problem" })).toBeInTheDocument();
    expect(screen.getByText(/^seal: signed with key .*, which is not in the key set$/)).toBeInTheDocument();
  });

  it("says the origin is unproven against the file's own keys", async () => {
    const get = publishedKeys();
    renderPage();
    const user = userEvent.setup();
    await user.click(screen.getByLabelText(/Only the keys inside the file/));
    const forged = JSON.stringify(tampered["forged-dropped-withdrawal"]);
    await user.upload(screen.getByLabelText("Choose a file"), file("forged.json", forged));
    expect(
      await screen.findByRole("heading", { name: "Consistent, but who made it is unproven: 6 signatories" }),
    ).toBeInTheDocument();
    expect(screen.getByText(/checked against only the keys the file itself carries\./)).toBeInTheDocument();
    expect(get).not.toHaveBeenCalled();
  });

  it("takes a key set file for a declaration from elsewhere", async () => {
    renderPage();
    const user = userEvent.setup();
    await user.click(screen.getByLabelText(/A key set \(JWKS\) file I trust/));
    await user.upload(screen.getByLabelText("Key set file"), file("other.json", fixture("other-jwks.json")));
    await user.upload(screen.getByLabelText("Choose a file"), file("bundle.json", fixture("bundle.json")));
    expect(await screen.findByRole("heading", { name: /^✗ Not valid: \d+ problems$/ })).toBeInTheDocument();
    expect(screen.getByText(/checked against the key set in other\.json\./)).toBeInTheDocument();
  });
});

describe("VerifyPage in French", () => {
  it("says the verdict in French and keeps the verifier's findings in its own English words", async () => {
    publishedKeys();
    await chooseLanguage("fr");
    renderPage();
    const forged = JSON.stringify(tampered["forged-dropped-withdrawal"]);
    await userEvent.setup().upload(screen.getByLabelText("Choisir un fichier"), file("forged.json", forged));
    expect(await screen.findByRole("heading", { name: "✗ Non valide : 1 problème" })).toBeInTheDocument();
    expect(screen.getByText("Il n’a pas été scellé avec les clés de cette plateforme, ou le sceau a été modifié.")).toBeInTheDocument();
    expect(screen.getByText(/vérifié au moyen des clés publiées par cette plateforme\./)).toBeInTheDocument();
    const finding = screen.getByText(/^seal: signed with key .*, which is not in the key set$/);
    expect(finding.closest("[lang]")).toHaveAttribute("lang", "en");
  });
});

describe("plainVerdict", () => {
  const report = (verdict: "valid" | "unproven" | "invalid", problems: string[] = []) => ({
    verdict,
    problems,
    signatories: [{}, {}],
  });
  it("says in one sentence what a non-expert needs", () => {
    expect(plainVerdict(report("valid"))).toBe("The text is exactly the one signed, and the 2 signatures in it are genuine.");
    expect(plainVerdict(report("invalid", ["text: its hash sha256:1 does not match … (the text was altered)"]))).toBe(
      "The text was changed after signing.",
    );
    expect(plainVerdict(report("invalid", ["entry 3 is missing: the log has 2 entries but the seal covers tree size 3"]))).toBe(
      "Signatures were removed from the signed list, or added to it.",
    );
    expect(plainVerdict(report("unproven"))).toContain("nothing proves it comes from this platform");
  });
});
