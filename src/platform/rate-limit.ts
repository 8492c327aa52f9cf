import { AppError } from "./errors.ts";

/**
 * A sliding-window limit counted from a module's own log (failed sign-ins, link requests, web
 * form posts): the module counts its rows since `since(now)` per key (email, IP…), and `enforce`
 * refuses with 429 and `Retry-After` when any count has reached its maximum. Counting rows
 * the module keeps anyway means the limit holds across processes and restarts.
 */
export class RateLimit {
  constructor(
    private readonly windowMs: number,
    /** What the person is told, e.g. "Too many failed sign-ins. Wait a few minutes and try again." */
    private readonly message: string,
  ) {}

  /** The start of the window that ends now. */
  since(now: Date): Date {
    return new Date(now.getTime() - this.windowMs);
  }

  /** Each pair is [count in the window, maximum]; any count at its maximum refuses. */
  async enforce(counts: readonly (readonly [Promise<number> | number, number])[]): Promise<void> {
    const seen = await Promise.all(counts.map(([count]) => count));
    if (seen.some((n, i) => n >= (counts[i] as readonly [unknown, number])[1])) {
      throw new AppError("rate_limited", this.message, {
        retryAfterSeconds: Math.ceil(this.windowMs / 1000),
      });
    }
  }
}
