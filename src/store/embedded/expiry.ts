/**
 * The TTL monitor's ordered index: documents by expiry time (a binary min-heap), so a sweep visits
 * only what is due instead of scanning every document. Entries are checked lazily: a document
 * whose expiry changed (or that was removed) leaves a stale entry behind that is dropped when it
 * reaches the top, or all at once when stale entries outnumber live ones.
 */

interface Entry {
  at: number;
  id: string;
}

export class ExpiryQueue {
  private heap: Entry[] = [];
  /** Canonical _id → the expiry time its live entry carries. */
  private readonly current = new Map<string, number>();

  get size(): number {
    return this.current.size;
  }

  /** Records that document `id` expires at `at` (Infinity: never). */
  set(id: string, at: number): void {
    if (!Number.isFinite(at)) {
      this.current.delete(id);
      return;
    }
    if (this.current.get(id) === at) return;
    this.current.set(id, at);
    this.push({ at, id });
    if (this.heap.length > 1024 && this.heap.length > 2 * this.current.size) this.rebuild();
  }

  delete(id: string): void {
    this.current.delete(id);
  }

  clear(): void {
    this.heap = [];
    this.current.clear();
  }

  /** Up to `limit` ids whose expiry is before `now`, earliest first; they leave the queue. */
  takeDue(now: number, limit = Infinity): string[] {
    const due: string[] = [];
    while (due.length < limit && this.heap.length && (this.heap[0] as Entry).at < now) {
      const top = this.pop();
      if (this.current.get(top.id) !== top.at) continue; // stale
      this.current.delete(top.id);
      due.push(top.id);
    }
    return due;
  }

  /** Drops every stale entry: Floyd's heap construction, O(n) (no sort). */
  private rebuild(): void {
    this.heap = [...this.current].map(([id, at]) => ({ id, at }));
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i, this.heap[i] as Entry);
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((heap[parent] as Entry).at <= entry.at) break;
      heap[i] = heap[parent] as Entry;
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): Entry {
    const top = this.heap[0] as Entry;
    const last = this.heap.pop() as Entry;
    if (this.heap.length) this.siftDown(0, last);
    return top;
  }

  /** Places `entry` at `i` or below, moving smaller children up. */
  private siftDown(start: number, entry: Entry): void {
    const heap = this.heap;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && (heap[right] as Entry).at < (heap[left] as Entry).at ? right : left;
      if ((heap[child] as Entry).at >= entry.at) break;
      heap[i] = heap[child] as Entry;
      i = child;
    }
    heap[i] = entry;
  }
}
