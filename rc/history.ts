// Command history for the rc line editor: the lines typed, oldest first, bounded.
//
// Rules, applied by add() and by load() alike:
// - empty and all-blank lines are not stored;
// - a line equal to the newest entry is not stored again (consecutive duplicates);
// - lines containing a newline or any other control character (tab excepted) are
//   skipped, not escaped: the editor never produces them, and skipping keeps the
//   saved form plain text with exactly one entry per line;
// - past `max` entries the oldest are dropped.
//
// save() writes one entry per line, each ending in "\n"; load() reads that form
// (a trailing "\r" on a line, from a file edited elsewhere, is dropped).

/** C0 controls except tab, DEL, C1 controls: what a history entry may not contain. */
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;

export class History {
  readonly max: number;
  #lines: string[] = [];

  constructor(max = 500) {
    if (!Number.isInteger(max) || max < 0) throw new RangeError(`history size ${max}: want an integer >= 0`);
    this.max = max;
  }

  /** Number of entries held. */
  get length(): number {
    return this.#lines.length;
  }

  /** Store a line; false when the rules above leave it out. */
  add(line: string): boolean {
    if (line.trim() === '' || CONTROL.test(line)) return false;
    if (this.#lines.at(-1) === line) return false;
    if (this.max === 0) return false;
    this.#lines.push(line);
    if (this.#lines.length > this.max) this.#lines.splice(0, this.#lines.length - this.max);
    return true;
  }

  /** The entries, oldest first (a copy: callers may keep it while lines are added). */
  entries(): string[] {
    return [...this.#lines];
  }

  /** Drop every entry. */
  clear(): void {
    this.#lines = [];
  }

  /** Replace the entries with those in `text` (the form save() writes). */
  load(text: string): void {
    this.#lines = [];
    for (const raw of text.split('\n')) this.add(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
  }

  /** The entries as text, one per line. */
  save(): string {
    return this.#lines.map((l) => l + '\n').join('');
  }
}
