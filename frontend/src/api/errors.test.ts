import { describe, expect, it } from "vitest";
import { ApiError, errorMessage, refusal, toApiError, unwrap } from "./errors";

function answer(status: number, error?: unknown, data?: unknown) {
  return Promise.resolve({ data, error, response: new Response(null, { status }) });
}

describe("unwrap", () => {
  it("returns the data of a successful answer", async () => {
    await expect(unwrap(answer(200, undefined, { id: 1 }))).resolves.toEqual({ id: 1 });
  });

  it("throws the server's sentence, never its code", async () => {
    const error = await unwrap(
      answer(429, { detail: "Too many failed sign-ins. Try again in 60 seconds.", code: "login_throttled" }),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(errorMessage(error)).toBe("Too many failed sign-ins. Try again in 60 seconds.");
    expect((error as ApiError).code).toBe("login_throttled");
  });

  it("has a sentence for bodies without one, and for a network failure", async () => {
    const refused = await unwrap(answer(403, "Forbidden")).catch((caught: unknown) => caught);
    expect(errorMessage(refused)).toBe("You do not have the right to do this.");
    const offline = await unwrap(Promise.reject(new TypeError("Failed to fetch"))).catch((caught: unknown) => caught);
    expect(errorMessage(offline)).toBe("The server could not be reached. Check your connection and try again.");
  });
});

describe("refusal", () => {
  const conflict = {
    detail: "1 amendment(s) conflict with the text or with each other; nothing was merged.",
    code: "conflict",
    conflicts: [{ amendment_id: 7, paragraph_key: "p3", reason: "both change the words 'cities'" }],
  };

  it("gives the body of its code, typed by the schema", () => {
    const conflicts = refusal(toApiError(409, conflict), "conflict")?.conflicts;
    expect(conflicts?.[0]?.amendment_id).toBe(7);
    const stale = refusal(toApiError(409, { detail: "…", code: "stale_base", head_version: 4 }), "stale_base");
    expect(stale?.head_version).toBe(4);
  });

  it("is null for another code, another error, or no error", () => {
    expect(refusal(toApiError(409, conflict), "stale_base")).toBeNull();
    expect(refusal(new Error("conflict"), "conflict")).toBeNull();
    expect(refusal(undefined, "conflict")).toBeNull();
  });

  it("knows only the codes the schema gives a body of their own", () => {
    // @ts-expect-error: `wrong_password` has no body of its own in the schema.
    expect(refusal(toApiError(401, { detail: "…", code: "wrong_password" }), "wrong_password")).not.toBeNull();
  });
});
