/**
 * A clock that moves only when a test says so. Pass `clock.now` (already bound) wherever code takes
 * a `now: () => number` in milliseconds, so time-dependent rules are tested without sleeps.
 */
export class FakeClock {
  private current: number;

  /** Starts at `start` (default 2030-01-01T00:00:00Z: fixed, so runs are repeatable). */
  constructor(start: Date | number = Date.UTC(2030, 0, 1)) {
    this.current = toMillis(start);
  }

  /** Current time in ms since the epoch; an arrow property so it can be passed unbound. */
  readonly now = (): number => this.current;

  /** Current time as a fresh Date. */
  date(): Date {
    return new Date(this.current);
  }

  /** Moves time forward; a fake clock never runs backwards by accident. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance() needs a finite ms >= 0, got ${ms}`);
    this.current += ms;
  }

  /** Jumps to an absolute instant (forwards or backwards, on purpose). */
  set(date: Date | number): void {
    this.current = toMillis(date);
  }
}

function toMillis(value: Date | number): number {
  const ms = value instanceof Date ? value.getTime() : value;
  if (!Number.isFinite(ms)) throw new RangeError(`not a valid instant: ${String(value)}`);
  return ms;
}
