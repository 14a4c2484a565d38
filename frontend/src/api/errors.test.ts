import { describe, expect, it } from "vitest";
import { ApiError, errorMessage, unwrap } from "./errors";

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
