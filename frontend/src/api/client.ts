// The one configured API client: typed from the OpenAPI schema, with the bearer token attached.
import createClient, { type Middleware } from "openapi-fetch";
import { getToken, signOut } from "../lib/auth";
import { toApiError } from "./errors";
import type { paths } from "./schema";

export const bearer: Middleware = {
  onRequest({ request }) {
    const token = getToken();
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  },
  async onResponse({ request, response }) {
    // A refused token (expired, revoked): end the session; the route guard then shows /login.
    // A wrong password re-entered to sign is a 401 too, but the session itself is fine.
    if (response.status === 401 && request.headers.has("Authorization")) {
      const body: unknown = await response
        .clone()
        .json()
        .catch(() => null);
      if (toApiError(response.status, body).code !== "bad_password") signOut("expired");
    }
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: "" });
api.use(bearer);

/** A multipart body for the routes that take a file. The generated types say `file: string`
 * (binary); the browser sends the File itself and sets the boundary (openapi-fetch passes a
 * FormData through unserialised and without a Content-Type of its own). */
export function multipart(fields: Record<string, string | Blob | undefined>): never {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.append(name, value);
  return form as never;
}
