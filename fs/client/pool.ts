// A pool of small integers handed out and taken back: tags (0..0xfffe, NOTAG excluded)
// and fids (0..0xfffffffe, NOFID excluded). Freed numbers are reused first, so a
// long session keeps its numbers small.

export class NumPool {
  private next = 0;
  private readonly freed: number[] = [];
  private readonly used = new Set<number>();
  /** One past the largest number handed out. */
  private readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** A free number, or undefined when all are in use. */
  alloc(): number | undefined {
    let n = this.freed.pop();
    if (n === undefined) {
      if (this.next >= this.limit) return undefined;
      n = this.next++;
    }
    this.used.add(n);
    return n;
  }

  /** Reserve a specific number (e.g. the root fid chosen by the caller). False if taken. */
  take(n: number): boolean {
    if (this.used.has(n) || n >= this.limit) return false;
    const i = this.freed.indexOf(n);
    if (i >= 0) this.freed.splice(i, 1);
    else if (n >= this.next) {
      for (let k = this.next; k < n; k++) this.freed.push(k);
      this.next = n + 1;
    }
    this.used.add(n);
    return true;
  }

  free(n: number): void {
    if (!this.used.delete(n)) throw new Error(`internal error: freeing ${n}, which is not in use`);
    this.freed.push(n);
  }

  has(n: number): boolean { return this.used.has(n); }

  get size(): number { return this.used.size; }
}
