// Job latencies for /srv/cuda/status: the last N (default 1000) in a ring, percentiles by
// nearest rank over them.

export class LatencyWindow {
  readonly #ring: Float64Array;
  #n = 0;
  #next = 0;

  constructor(size = 1000) { this.#ring = new Float64Array(size); }

  add(ms: number): void {
    this.#ring[this.#next] = ms;
    this.#next = (this.#next + 1) % this.#ring.length;
    if (this.#n < this.#ring.length) this.#n++;
  }

  get count(): number { return this.#n; }

  /** The p-th percentile (0 < p <= 100) of the kept samples; 0 when there are none. */
  percentile(p: number): number {
    if (this.#n === 0) return 0;
    const s = this.#ring.slice(0, this.#n).sort();
    return s[Math.min(this.#n, Math.max(1, Math.ceil((p / 100) * this.#n))) - 1]!;
  }
}
