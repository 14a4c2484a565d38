// The one configured API client: typed from the OpenAPI schema, with the bearer token attached.
import createClient, { type Middleware } from "openapi-fetch";
import { getToken, signOut } from "../lib/auth";
import type { paths } from "./schema";

const bearer: Middleware = {
  onRequest({ request }) {
    const token = getToken();
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  },
  onResponse({ request, response }) {
    // A refused token (expired, revoked): end the session; the route guard then shows /login.
    if (response.status === 401 && request.headers.has("Authorization")) signOut("expired");
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: "" });
api.use(bearer);
