/**
 * A list of caught messages (mail, SMS) that a test can wait on: `push` records one and wakes the
 * waiters; `waitFor` resolves with the first match, now or when it arrives, or rejects after a bound.
 */
export class Caught<T> {
  readonly messages: T[] = [];
  private readonly listeners = new Set<() => boolean>();

  constructor(private readonly what: string) {}

  push(message: T): void {
    this.messages.push(message);
    for (const listener of this.listeners) listener();
  }

  waitFor(predicate: (message: T) => boolean, timeoutMs = 5000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.messages.find(predicate);
        if (!found) return false;
        done();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no matching ${this.what} within ${timeoutMs} ms (${this.messages.length} caught)`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      if (!check()) this.listeners.add(check);
    });
  }
}
