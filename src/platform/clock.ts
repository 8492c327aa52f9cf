/**
 * The only way domain code learns the time. Injected so tests can move time by hand
 * (SLA arithmetic, promise due times and survey fatigue all depend on it).
 */
export type Clock = {
  now(): Date;
};

export const systemClock: Clock = {
  now: () => new Date(),
};

/** A clock that only moves when told to; used by tests and simulations. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | string = "2026-01-05T09:00:00Z") {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }

  advance(ms: number): void {
    this.current += ms;
  }

  advanceMinutes(minutes: number): void {
    this.advance(minutes * 60_000);
  }
}
