// API failures as one error type whose message is the server's human sentence (`detail`).

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** The whole error body: some errors carry more than `detail` and `code` (e.g. `conflicts`). */
  readonly body: Readonly<Record<string, unknown>>;

  constructor(status: number, code: string, message: string, body: Record<string, unknown> = {}) {
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
    const { detail, code } = body as { detail?: unknown; code?: unknown };
    const sentence = typeof detail === "string" && detail.trim() ? detail : fallback(status);
    return new ApiError(
      status,
      typeof code === "string" ? code : `http_${status}`,
      sentence,
      body as Record<string, unknown>,
    );
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

/** The sentence to show for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return "Something went wrong in the browser. Reload the page and try again.";
}
