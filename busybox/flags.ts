// The shared flag parser, Plan 9's ARGBEGIN/getflags shape: single-letter flags, grouped
// (-ln), flags taking a value (-n 5 or -n5), '--' ends the flags, a lone '-' is an argument.
// Flags stop at the first operand (no GNU permutation: `ls dir -l` lists a file named -l).
// An unknown flag or a missing value throws UsageError; command() turns it into the usage line.

/** What a command accepts. */
export interface FlagSpec {
  /** Letters that take no value, e.g. 'lwc'. */
  bools?: string;
  /** Letters that take a value, e.g. 'ekt'. */
  values?: string;
  /** A bare -DIGITS is the value of this letter (head -5 means head -n 5). */
  numeric?: string;
  /** An argument that looks like a negative number is an operand (seq -3 3). */
  negativeNumbers?: boolean;
}

/** The command was called wrongly: print its usage line and exit with status 'usage'. */
export class UsageError extends Error {
  constructor(why = 'usage') { super(why); this.name = 'UsageError'; }
}

export class Flags {
  /** Operands after the flags. */
  readonly args: string[];
  readonly #seen = new Map<string, string[]>();

  constructor(args: string[]) { this.args = args; }

  /** Record one occurrence (a boolean flag records ''). */
  add(letter: string, value: string): void {
    const v = this.#seen.get(letter);
    if (v) v.push(value); else this.#seen.set(letter, [value]);
  }

  has(letter: string): boolean { return this.#seen.has(letter); }
  /** How many times the flag was given (-vv). */
  count(letter: string): number { return this.#seen.get(letter)?.length ?? 0; }
  /** The last value given, as getopt would keep. */
  value(letter: string): string | undefined { return this.#seen.get(letter)?.at(-1); }
  /** Every value given, in order (grep -e a -e b). */
  values(letter: string): string[] { return [...(this.#seen.get(letter) ?? [])]; }
}

const NEGATIVE = /^-(\d|\.\d)/;

/** Parse argv (argv[0] is the command's name). */
export function parseFlags(argv: string[], spec: FlagSpec): Flags {
  const bools = spec.bools ?? '';
  const values = spec.values ?? '';
  let i = 1;
  const pending: Array<[string, string]> = [];
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { i++; break; }
    if (a.length < 2 || a[0] !== '-') break;
    if (spec.numeric && /^-\d+$/.test(a)) { pending.push([spec.numeric, a.slice(1)]); continue; }
    if (spec.negativeNumbers && NEGATIVE.test(a)) break;
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if (values.includes(c)) {
        let v = a.slice(j + 1);
        if (v === '') {
          if (i + 1 >= argv.length) throw new UsageError(`option requires an argument -- ${c}`);
          v = argv[++i]!;
        }
        pending.push([c, v]);
        break;
      }
      if (!bools.includes(c)) throw new UsageError(`unknown flag -${c}`);
      pending.push([c, '']);
    }
  }
  const f = new Flags(argv.slice(i));
  for (const [c, v] of pending) f.add(c, v);
  return f;
}
