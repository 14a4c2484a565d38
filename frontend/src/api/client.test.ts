import { afterEach, describe, expect, it, vi } from "vitest";
import { getToken, signIn, signOut } from "../lib/auth";
import { api, bearer, multipart } from "./client";

function answer(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

async function respond(status: number, body: unknown) {
  const request = new Request("http://concord.test/api/declarations/1/signatures", {
    headers: { Authorization: "Bearer t" },
  });
  const response = answer(status, body);
  // The middleware reads the body from a clone: the caller still gets it whole.
  const passed = await bearer.onResponse?.({ request, response, options: {} as never, schemaPath: "", params: {}, id: "1" });
  return passed as Response;
}

describe("the session middleware", () => {
  afterEach(() => signOut());

  it("ends the session when the server refuses the token", async () => {
    signIn("token-1", 3600, false);
    await respond(401, { detail: "Your sign-in has expired.", code: "invalid_token" });
    expect(getToken()).toBeNull();
  });

  it("keeps the session when only the password re-entered to sign is wrong", async () => {
    signIn("token-2", 3600, false);
    const response = await respond(401, { detail: "The password is wrong.", code: "bad_password" });
    expect(getToken()).toBe("token-2");
    await expect(response.json()).resolves.toMatchObject({ code: "bad_password" });
  });
});

describe("multipart", () => {
  it("sends the form itself, without the fields left out, and lets the browser set its type", async () => {
    const sent = vi.fn(async (_request: Request) => answer(200, { saved: false }));
    const file = new File(["Texte"], "fr.txt", { type: "text/plain" });
    const body = multipart({ file, dry_run: "true", base_version: undefined });
    await api.PUT("/api/declarations/{declaration_id}/versions/{number}/translations/{language}", {
      baseUrl: "http://concord.test", // a Request needs a whole URL outside the browser
      fetch: sent,
      params: { path: { declaration_id: 1, number: 2, language: "fr" } },
      body,
    });
    const request = sent.mock.calls[0]![0];
    expect(request.headers.get("Content-Type")).toMatch(/^multipart\/form-data; boundary=/);
    const form = await request.formData();
    expect([...form.keys()]).toEqual(["file", "dry_run"]);
    expect(form.get("dry_run")).toBe("true");
    expect(await (form.get("file") as File).text()).toBe("Texte");
  });
});
