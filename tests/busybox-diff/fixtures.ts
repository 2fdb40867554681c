// What a busybox-diff case is, the inputs the cases share, and a short way to write one.

export type Ref = '9base' | 'busybox';

export interface Case {
  /** Unique; differences.ts refers to it. */
  id: string;
  /** Arguments are text (passed as UTF-8); stdin and file contents are byte strings, one char a byte. */
  argv: string[];
  stdin?: string;
  /** Files in the working directory, created in this order; a name ending in / is a directory. */
  files?: Record<string, string>;
  /** Permission bits to set on some of the files (chmod), e.g. an executable for ls -F. */
  modes?: Record<string, number>;
  refs: readonly Ref[];
}

export const BOTH: readonly Ref[] = ['9base', 'busybox'];
export const BB: readonly Ref[] = ['busybox'];
export const P9: readonly Ref[] = ['9base'];

export const FRUIT = 'banana\napple\ncherry\napple\nbanana\nbanana\ndate\n';
export const WORDS = 'the quick  brown fox\njumps over\tthe lazy dog\n\nend';
export const TABLE = 'bob:25:x\nalice:30:y\ncarol:25:z\ndave:4:w\n';
export const NUMS = '10\n9\n-3\n2.5\n010\n0\n100\n';
export const RUNS = 'a\na\nb\nA\nc\nc\nc\nd\n';
export const FILES = { f1: 'one\ntwo\nthree\n', f2: 'alpha beta\ngamma\n', empty: '' };
export const TREE = { ...FILES, 'sub/': '', 'sub/a': 'A\n', 'sub/b': '', 'sub/d/': '', 'sub/d/e': 'E\n' };
/** A directory for ls: no dot file (9base shows those), a subdirectory, an executable (EXEC). */
export const LSDIR = { f1: 'x\n', Zed: '', 'b-c': 'bc\n', 'sub/': '', 'sub/in': 'i\n', run: '#!x\n' };
export const EXEC = { run: 0o755 };

export type Opts = Pick<Case, 'stdin' | 'files' | 'modes'>;
export const k = (id: string, refs: readonly Ref[], argv: string[], o: Opts = {}): Case => ({ id, argv, refs, ...o });


