// What a blocking wait listens to for being cut short. An AbortSignal is one; NoteSignal is a
// cheaper one for the kernel's processes, which make one per note epoch and pass it to every
// syscall (an AbortController costs more to make than a whole in-process 9P exchange).

/** The part of AbortSignal that waits use. */
export interface Interrupt {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', fn: () => void, opts?: { once?: boolean }): void;
  removeEventListener(type: 'abort', fn: () => void): void;
}

/** An Interrupt that fires once: listeners run when abort is called, then are dropped. */
export class NoteSignal implements Interrupt {
  #aborted = false;
  #reason: unknown;
  #fns: Array<() => void> = [];

  get aborted(): boolean { return this.#aborted; }
  get reason(): unknown { return this.#reason; }

  addEventListener(_type: 'abort', fn: () => void): void {
    if (!this.#aborted) this.#fns.push(fn);
  }

  removeEventListener(_type: 'abort', fn: () => void): void {
    const i = this.#fns.lastIndexOf(fn);
    if (i >= 0) this.#fns.splice(i, 1);
  }

  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    const fns = this.#fns;
    this.#fns = [];
    for (const f of fns) f();
  }

  /** Listeners waiting (tests and leak checks). */
  get listeners(): number { return this.#fns.length; }
}
