// API failures as one error type whose message is the server's human sentence (`detail`); the
// fields some codes carry besides (`conflicts`, `head_version`, …) typed by the API schema.
import type { components } from "./schema";

type Schemas = components["schemas"];

/** The schema's refusal bodies whose `code` is one constant: the codes with fields of their own. */
type TypedRefusal = {
  [Name in keyof Schemas]: Schemas[Name] extends { code: infer Code; detail: string }
    ? string extends Code
      ? never
      : Schemas[Name]
    : never;
}[keyof Schemas];

export type RefusalCode = TypedRefusal["code"];
export type Refusal<Code extends RefusalCode> = Extract<TypedRefusal, { code: Code }>;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** The whole error body: read the fields of a typed code through `refusal()`. */
  readonly body: object;

  constructor(status: number, code: string, message: string, body: object = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

const FALLBACK: Record<number, string> = {
  0: "The server could not be reached. Check your connection and try again.",
  400: "The request was not understood.",
  401: "Please sign in again.",
  403: "You do not have the right to do this.",
  404: "This could not be found.",
  409: "This conflicts with a change made in the meantime. Reload and try again.",
  413: "This is too large to send.",
  422: "Some of what you entered is not valid.",
  429: "Too many attempts. Wait a moment and try again.",
};

function fallback(status: number): string {
  return FALLBACK[status] ?? (status >= 500 ? "The server had a problem. Try again in a moment." : "The request failed.");
}

/** An ApiError from an error body of any shape: `{detail, code}` normally. */
export function toApiError(status: number, body: unknown): ApiError {
  if (body && typeof body === "object") {
    const detail = "detail" in body ? body.detail : undefined;
    const code = "code" in body ? body.code : undefined;
    const sentence = typeof detail === "string" && detail.trim() ? detail : fallback(status);
    return new ApiError(status, typeof code === "string" ? code : `http_${status}`, sentence, body);
  }
  return new ApiError(status, `http_${status}`, fallback(status));
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a successful answer; throws ApiError otherwise (also when the network fails). */
export async function unwrap<T>(request: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await request;
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, "network", fallback(0));
  }
  if (answer.error !== undefined || !answer.response.ok) {
    throw toApiError(answer.response.status, answer.error);
  }
  return answer.data as T;
}

/** The body of a refusal with this code, as the API schema types it; null for any other error.
 * (The server answers each code through its schema's body: tests/documented.py.) */
export function refusal<Code extends RefusalCode>(error: unknown, code: Code): Refusal<Code> | null {
  return error instanceof ApiError && error.code === code ? (error.body as Refusal<Code>) : null;
}

/** The sentence to show for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return "Something went wrong in the browser. Reload the page and try again.";
}
