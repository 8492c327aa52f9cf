/** An RFC 9457 problem document, as every Keepdesk API error is shaped. */
export type TProblem = {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
};

/** Thrown by the app's data hooks when the API answers with an error (or cannot be reached). */
export class ApiError extends Error {
  /** HTTP status, or 0 when the server could not be reached at all. */
  readonly status: number;
  readonly problem: TProblem | null;
  readonly retryAfterSeconds: number | null;

  constructor(status: number, problem: TProblem | null, retryAfterSeconds: number | null = null) {
    super(problem?.detail || problem?.title || (status === 0 ? "Network error" : `HTTP ${status}`));
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** Builds an ApiError from an openapi-fetch error result. */
  static fromResponse(response: Response, body: unknown): ApiError {
    const retryAfter = Number.parseInt(response.headers.get("Retry-After") ?? "", 10);
    return new ApiError(
      response.status,
      isProblem(body) ? body : null,
      Number.isFinite(retryAfter) ? retryAfter : null,
    );
  }

  static network(cause: unknown): ApiError {
    const error = new ApiError(0, null);
    error.cause = cause;
    return error;
  }

  /** Field messages keyed by the JSON pointer's last segment ("/email" → "email"). */
  fieldErrors(): Record<string, string> {
    const result: Record<string, string> = {};
    for (const { path, message } of this.problem?.errors ?? []) {
      const field = path.split("/").filter(Boolean).pop();
      if (field && !(field in result)) result[field] = message;
    }
    return result;
  }
}

export function isProblem(value: unknown): value is TProblem {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { status?: unknown }).status === "number" &&
    typeof (value as { title?: unknown }).title === "string"
  );
}
