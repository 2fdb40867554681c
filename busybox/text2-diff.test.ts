// Differential test of the text commands (head tail cut tee fmt diff read awk): each case
// runs under ours (in a kernel, cwd a ramfs /tmp) and under each host implementation it
// names, in a fresh host directory holding the same files, with LC_ALL=C. References:
//   host    /usr/bin's tool: GNU coreutils and diffutils, and awk (Debian's mawk)
//   busybox Debian's /bin/busybox applet
//   plan9   9base's /usr/lib/plan9/bin tool (fmt, read, tail -r, diff, awk)
// stdout and success/failure must agree (stderr wording differs by design); diff -u headers
// are compared without their timestamps. A missing host tool skips its cases with the reason.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TestKernels } from '../kernel/testkit.ts';
import { TEXT_COMMANDS } from './group-text.ts';
import { Busybox } from './testing.ts';

const kernels = new TestKernels();
afterEach(() => kernels.shutdown());

type Ref = 'host' | 'busybox' | 'plan9';

interface Case {
  argv: string[];
  stdin?: string;
  files?: Record<string, string>;
  /** The implementations to compare with (default host and busybox). */
  refs?: Ref[];
  /** Run afterwards in the same directory and compare too (tee's files). */
  after?: string[];
}

const LINES = 'one\ntwo\nthree\nfour\nfive\n';
const FRUIT = 'apple 3 red\nbanana 12 yellow\ncherry 7 red\napple 5 green\ndate 1 brown\nbanana 2 green\n';
const PASSWD = 'root:x:0:0:root:/root:/bin/rc\nglenda:x:1000:1000:Glenda:/usr/glenda:/bin/rc\nnone:x:65534:65534::/:/bin/false\n';
const PROSE = 'The quick brown fox jumps over the lazy dog. The quick brown fox jumps over the lazy dog again and again.\n'
  + '  indented line here\n  and continues here with more words to wrap around the limit of the line\n\n'
  + 'second paragraph.   Multiple   spaces    here. Mr. Smith went to Washington! Did he?\n\ttab indented\n';
const F = { f1: LINES, f2: 'alpha\nbeta\n', fruit: FRUIT, passwd: PASSWD };
const D = {
  a: 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n',
  b: 'a\nB\nc\nd\ne\nf\ng\nh\nj\nk\n',
  c: 'x\na\nb\nc\nd\ne\nf\ng\nh\ni\nj\n',
  d: 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj',
  e: 'a  b\nc\td\n',
  f: 'a b\nc d\n',
  g: 'ab\ncd\n',
  empty: '',
};
const ALL: Ref[] = ['host', 'busybox', 'plan9'];

const CASES: Case[] = [
  // head
  { argv: ['head', '-n', '2', 'f1'], files: F },
  { argv: ['head', '-3'], stdin: LINES },
  { argv: ['head', '-c', '5'], stdin: LINES },
  { argv: ['head', 'f1', 'f2'], files: F },
  { argv: ['head', '-n', '-2'], stdin: LINES },
  { argv: ['head', '-q', '-n', '1', 'f1', 'f2'], files: F },
  { argv: ['head', 'nosuch', 'f1'], files: F, refs: ['host'] },
  { argv: ['head', '-n', '0', 'f1'], files: F },
  // tail
  { argv: ['tail', '-n', '2'], stdin: LINES },
  { argv: ['tail', '-3', 'f1'], files: F, refs: ALL },
  { argv: ['tail', '+3', 'f1'], files: F, refs: ALL },
  { argv: ['tail', '-n', '+2'], stdin: LINES },
  { argv: ['tail', '-c', '4'], stdin: LINES },
  { argv: ['tail', '-c', '+3'], stdin: LINES },
  { argv: ['tail', 'f1', 'f2'], files: F },
  { argv: ['tail', '-r', 'f1'], files: F, refs: ['plan9'] },
  { argv: ['tail', '-2r', 'f1'], files: F, refs: ['plan9'] },
  { argv: ['tail', '-n', '1'], stdin: 'a\nb\nno newline' },
  // cut
  { argv: ['cut', '-d:', '-f2'], stdin: PASSWD },
  { argv: ['cut', '-d', ':', '-s', '-f1,3'], stdin: PASSWD + 'no delimiter\n' },
  { argv: ['cut', '-d:', '-f1,3'], stdin: PASSWD + 'no delimiter\n' },
  { argv: ['cut', '-c', '2-3,5-'], stdin: LINES },
  { argv: ['cut', '-c', '-2'], stdin: LINES },
  { argv: ['cut', '-f2'], stdin: 'a\tb\tc\nd\te\n' },
  { argv: ['cut', '-d:', '-f', '6-'], files: F, stdin: PASSWD },
  { argv: ['cut', '-b', '1-3', 'f1', 'f2'], files: F },
  { argv: ['cut', '-f', '0'], stdin: 'x\n', refs: ['host'] },
  { argv: ['cut', '-d:', '-f2'], stdin: 'a:b' },
  // tee
  { argv: ['tee', 'out'], stdin: LINES, after: ['cat', 'out'], refs: ALL },
  { argv: ['tee', '-a', 'f2'], stdin: 'gamma\n', files: F, after: ['cat', 'f2'], refs: ALL },
  { argv: ['tee', 'o1', 'o2'], stdin: 'x\n', after: ['cat', 'o1', 'o2'] },
  // fmt
  { argv: ['fmt'], stdin: PROSE, refs: ['plan9'] },
  { argv: ['fmt', '-w', '30'], stdin: PROSE, refs: ['plan9'] },
  { argv: ['fmt', '-l', '40', '-i', '4'], stdin: PROSE, refs: ['plan9'] },
  { argv: ['fmt', '-j', '-w', '20'], stdin: PROSE, refs: ['plan9'] },
  { argv: ['fmt', 'f1', 'f2'], files: F, refs: ['plan9'] },
  // diff
  { argv: ['diff', 'a', 'b'], files: D, refs: ['host', 'plan9'] },
  { argv: ['diff', 'a', 'a'], files: D, refs: ['host', 'plan9'] },
  { argv: ['diff', 'a', 'c'], files: D, refs: ['host', 'plan9'] },
  { argv: ['diff', 'c', 'a'], files: D, refs: ['host', 'plan9'] },
  { argv: ['diff', 'b', 'c'], files: D, refs: ['host', 'plan9'] },
  { argv: ['diff', 'empty', 'f2'], files: { ...D, ...F }, refs: ['host', 'plan9'] },
  { argv: ['diff', 'f1', 'f2'], files: F, refs: ['host', 'plan9'] },
  { argv: ['diff', '-u', 'a', 'b'], files: D },
  { argv: ['diff', '-u', 'a', 'c'], files: D },
  { argv: ['diff', '-U', '1', 'b', 'c'], files: D },
  { argv: ['diff', '-u', 'c', 'd'], files: D },
  { argv: ['diff', '-u', 'a', 'a'], files: D },
  { argv: ['diff', '-u', 'empty', 'f2'], files: { ...D, ...F } },
  { argv: ['diff', 'a', 'd'], files: D, refs: ['host'] },
  { argv: ['diff', '-b', 'e', 'f'], files: D, refs: ['host', 'plan9'] },
  { argv: ['diff', '-w', 'f', 'g'], files: D, refs: ['host', 'plan9'] },
  { argv: ['diff', '-e', 'a', 'b'], files: D, refs: ['host', 'plan9'] },
  { argv: ['diff', 'nosuch', 'a'], files: D, refs: ALL },
  { argv: ['diff', '-', 'b'], stdin: D.a, files: D, refs: ['host'] },
  // read
  { argv: ['read'], stdin: LINES, refs: ['plan9'] },
  { argv: ['read', '-n', '2'], stdin: LINES, refs: ['plan9'] },
  { argv: ['read'], stdin: '', refs: ['plan9'] },
  { argv: ['read', '-m'], stdin: 'x\ny', refs: ['plan9'] },
  { argv: ['read', 'f1', 'f2'], files: F, refs: ['plan9'] },
  // awk: fields, patterns, ranges
  { argv: ['awk', '{ print $2 }'], stdin: FRUIT, refs: ALL },
  { argv: ['awk', '-F:', '{ print $1, $NF }'], stdin: PASSWD, refs: ALL },
  { argv: ['awk', '{ s += $2 } END { print s, s / NR }'], stdin: FRUIT, refs: ALL },
  { argv: ['awk', 'NR % 2 == 0'], stdin: FRUIT, refs: ALL },
  { argv: ['awk', '/banana/,/apple/ { print NR, $1 }'], stdin: FRUIT, refs: ALL },
  { argv: ['awk', '$2 > 4 && $3 ~ /^(red|green)$/'], stdin: FRUIT, refs: ALL },
  { argv: ['awk', '$1 !~ /an/ { print toupper($1), length($1) }'], stdin: FRUIT, refs: ALL },
  { argv: ['awk', '{ print NR, FNR, FILENAME, NF }', 'f2', 'fruit'], files: F, refs: ALL },
  { argv: ['awk', '{ print length }'], stdin: LINES, refs: ALL },
  { argv: ['awk', 'END { print NR, $0 }'], stdin: FRUIT },
  { argv: ['awk', 'NR == 2 { next } { print NR ": " $0 }'], stdin: LINES, refs: ALL },
  { argv: ['awk', '-F', '[:,]', '{ print $2 }'], stdin: 'a:b,c\nd,e:f\n', refs: ALL },
  { argv: ['awk', 'BEGIN { RS = "" } { print NR ": " $1 " (" NF ")" }'], stdin: '\n\npara one\nline two\n\n\npara two\n\n', refs: ALL },
  // awk: printf and numbers
  { argv: ['awk', 'BEGIN { printf "%5.2f|%-6s|%d|%x|%c|%e|%g|%o|%%\\n", 3.14159, "ab", 42.9, 255, 65, 12345.678, 0.0001234, 8 }'], refs: ALL },
  { argv: ['awk', 'BEGIN { printf "%*d|%-*s|%.3s|%5s|%i|%c\\n", 5, 42, 4, "a", "abcdef", "xy", -7.5, "hello" }'], refs: ['host', 'plan9'] },
  { argv: ['awk', 'BEGIN { printf "%s %s %d %s\\n", 1e6, 0.5, "3x", 123456789 }'], refs: ALL },
  { argv: ['awk', 'BEGIN { x = 0.1 + 0.2; print x, x * 3, 1/3, 100/3, 7 % 3, -7 % 3, 1e6, 1e-5 }'], refs: ALL },
  { argv: ['awk', 'BEGIN { print 2^10, 2^0.5, -2^2, 2^3^2; y = 2; y ^= 3; print y }'], refs: ['host', 'plan9'] },
  { argv: ['awk', 'BEGIN { print 2**3; x = 3; x **= 2; print x }'], refs: ['plan9'] },
  { argv: ['awk', 'BEGIN { print int(3.9), int(-3.9), sprintf("%03d:%+d:% d", 7, 5, 3), sprintf("%.2e", 12345) }'], refs: ALL },
  { argv: ['awk', 'BEGIN { x = 10; x += 5; x -= 3; x *= 2; x /= 4; x %= 4; print x; i = 5; print i++, i, ++i, i--, --i }'], refs: ALL },
  // awk: strings
  { argv: ['awk', '{ gsub(/an/, "AN"); print }'], stdin: FRUIT, refs: ALL },
  { argv: ['awk', '{ n = sub(/[0-9]+/, "<&>"); print n, $0 }'], stdin: FRUIT, refs: ALL },
  { argv: ['awk', 'BEGIN { s = "hello world"; print length(s), substr(s, 1, 5), substr(s, 7), index(s, "wor"), toupper(s), tolower("ABC") }'], refs: ALL },
  { argv: ['awk', 'BEGIN { n = split("a:b:c", a, ":"); print n, a[1], a[3]; n = split("  x  y ", b); print n, b[1] b[2] }'], refs: ALL },
  { argv: ['awk', '{ if (match($0, /[0-9]+/)) print RSTART, RLENGTH, substr($0, RSTART, RLENGTH) }'], stdin: FRUIT, refs: ALL },
  { argv: ['awk', 'BEGIN { s = "abc"; gsub(/x*/, "-", s); print s; t = "aaa"; print gsub(/a/, "\\\\&", t), t }'], refs: ALL },
  { argv: ['awk', 'BEGIN { print substr("hello", 2), substr("hello", 0), substr("hello", 4, 10), substr("hello", 2, 2) }'], refs: ALL },
  { argv: ['awk', 'BEGIN { print (10 < 9), ("10" < "9"), (2 < "10"), ("abc" < "abd") } { print ($1 < $2) }'], stdin: '10 9\nabc abd\n2 10\n', refs: ALL },
  { argv: ['awk', 'BEGIN { print x + 0, "[" x "]", length(x), (x == 0), (x == "") }'], refs: ALL },
  // awk: control flow and functions
  { argv: ['awk', 'BEGIN { for (i = 0; i < 10; i++) { if (i == 2) continue; if (i == 6) break; s = s i }; print s; while (j < 3) j++; print j; do k++; while (k < 0); print k }'], refs: ALL },
  { argv: ['awk', 'function fact(n) { return n <= 1 ? 1 : n * fact(n - 1) } BEGIN { print fact(10) }'], refs: ALL },
  { argv: ['awk', 'function fill(a, n,  i) { for (i = 1; i <= n; i++) a[i] = i * i } BEGIN { fill(sq, 4); print sq[3], sq[4]; print i "." }'], refs: ALL },
  { argv: ['awk', 'BEGIN { exit 3 } END { print "end" }'], refs: ALL },
  { argv: ['awk', '{ print; if (NR == 2) exit } END { print "done", NR }'], stdin: LINES, refs: ALL },
  // awk: arrays
  { argv: ['awk', '{ n[$1] += $2 } END { split("apple banana cherry date", k, " "); for (i = 1; i <= 4; i++) print k[i], n[k[i]] }'], stdin: FRUIT, refs: ALL },
  { argv: ['awk', 'BEGIN { a["x"] = 1; a["y"] = 2; delete a["x"]; print ("x" in a), ("y" in a); delete a; for (k in a) n++; print n + 0 }'], refs: ALL },
  { argv: ['awk', 'BEGIN { a[1, 2] = 3; for (k in a) { split(k, p, SUBSEP); print p[1], p[2], a[k] }; if ((1, 2) in a) print "yes" }'], refs: ALL },
  { argv: ['awk', '{ seen[$1]++ } END { for (k in seen) if (seen[k] > 1) c++; print c }'], stdin: FRUIT, refs: ALL },
  // awk: fields and records
  { argv: ['awk', '{ $2 = "X"; print; print NF }'], stdin: 'a b c\nd\n', refs: ALL },
  { argv: ['awk', '{ NF = 2; print }'], stdin: 'a b c d\n', refs: ['host', 'busybox'] },
  { argv: ['awk', 'BEGIN { OFS = "-" } { $1 = $1; print } { $5 = "e"; print }'], stdin: 'a b c\n', refs: ALL },
  { argv: ['awk', '-v', 'x=5', '-v', 's=a\\tb', 'BEGIN { print x * 2, s }'], refs: ALL },
  { argv: ['awk', '-v', 'pat=^b', '$0 ~ pat'], stdin: FRUIT, refs: ALL },
  { argv: ['awk', '{ print x, $0 }', 'x=1', 'f2', 'x=2', 'f2'], files: F, refs: ALL },
  { argv: ['awk', 'BEGIN { while ((getline line < "f1") > 0) n++; print n, line }'], files: F, refs: ALL },
  { argv: ['awk', 'NR == 1 { while ((getline line) > 0) n++; print n, NR, line }'], stdin: LINES },
  { argv: ['awk', 'BEGIN { getline; print "got", $0, NR }'], stdin: LINES, refs: ALL },
  { argv: ['awk', 'BEGIN { printf "a" "b" "\\n"; print 1 " " 2, 3 4 }'], refs: ALL },
  { argv: ['awk', 'BEGIN { if (!(3 in a)) print "no"; else print "yes"; print length(a) }'], refs: ['host', 'busybox'] },
  { argv: ['awk', 'BEGIN { CONVFMT = "%.2f"; x = 3.14159; y = x ""; print y; a[x] = 1; for (k in a) print k; a[2] = 1; print (2 in a) }'], refs: ALL },
  { argv: ['awk', 'BEGIN { OFMT = "%.2f"; print 3.14159, 3.14159 "", 10 }'], refs: ['host', 'busybox'] },
  { argv: ['awk', '{ printf "%c|%d|%s\n", $1, $1, $1 }'], stdin: '65\n66.7\n', refs: ALL },
  { argv: ['awk', '/a\.b/ || /[[:digit:]]+x/ || /\// || /^(c|d)e/'], stdin: 'a.b\naxb\n12x\na/b\nce\nde\nxe\n', refs: ALL },
  { argv: ['awk', '{ print $(NF-1), $(1+1); $NF = ""; print; print NF }'], stdin: 'a b c\n1 2 3 4\n', refs: ALL },
  { argv: ['awk', 'BEGIN { print (getline line < "nosuch"); print "after" }'], refs: ALL },
  { argv: ['awk', '{ print ($1 < $2), ($1 == 3) }'], stdin: ' 10 9\n3.0 x\nabc 1\n', refs: ALL },
  { argv: ['awk', '-F', '\\t', '{ print $2 }'], stdin: 'a b\tc d\te\n', refs: ALL },
  { argv: ['awk', '-Ft', '{ print $2 }'], stdin: 'a b\tc d\te\n', refs: ['plan9'] },
  { argv: ['awk', 'BEGIN { FS = "," } { print $2; FS = ":" }'], stdin: 'a,b:c\nd,e:f\n', refs: ALL },
  { argv: ['awk', '{ n = split($0, a, /[,;]/); print n, a[1], a[n] }'], stdin: 'x,y;z\nsolo\n', refs: ALL },
  { argv: ['awk', 'function f(x,  arr) { arr[x] = x; n = 0; for (k in arr) n++; return n } BEGIN { print f(1), f(2) }'], refs: ALL },
  { argv: ['awk', 'function f(a) { a["k"] = 1 } BEGIN { f(arr); print length(arr), arr["k"] }'], refs: ['host', 'busybox'] },
  { argv: ['awk', 'BEGIN { print -1 " " -1, 1 - 1, 1 -1, "a" -1; x = "3.0"; print (x == 3), (x + 0 == 3) }'], refs: ALL },
  { argv: ['awk', '{ $2++; $3 = $1 + $2; print }'], stdin: '1 2\n5 5 5\n', refs: ['host', 'plan9'] },
  { argv: ['awk', 'NR == 2, NR == 3'], stdin: LINES, refs: ALL },
  { argv: ['awk', '!seen[$1]++'], stdin: FRUIT, refs: ALL },
  { argv: ['awk', '{ $1 = ""; print; print length($0) }'], stdin: 'a b c\n', refs: ALL },
  { argv: ['awk', '{ printf "%-10s|%10s|%5.1f%%\n", $1, $3, $2 * 1.5 }'], stdin: FRUIT, refs: ALL },
  { argv: ['awk', '{ getline x; print NR, $0, x }'], stdin: LINES },
  { argv: ['awk', 'BEGIN { arr[1] = "banana"; n = sub(/an/, "AN", arr[1]); print n, arr[1] } { gsub(/a/, "A", $1); print; print NF }'], stdin: 'banana split\n', refs: ALL },
  { argv: ['awk', 'BEGIN { n = split("a b", a); n = split("", a); print n, length(a) }'], refs: ['host', 'busybox'] },
  { argv: ['awk', 'BEGIN { printf("%s %s\n", "a", "b"); print("x") > "/dev/stdout" }'], refs: ALL },
  { argv: ['awk', '# comment\nBEGIN {\n  x = 1   # trailing\n  if (x)\n    print "yes"\n  else\n    print "no"\n  for (i = 0;\n       i < 2;\n       i++) print i\n}\n'], refs: ALL },
  { argv: ['awk', '{ $0 = "new " $0; print $2, NF } END { print NF, $1 }'], stdin: 'x y\n', refs: ['host', 'busybox'] },
  { argv: ['awk', 'BEGIN { print 7/2, 5.5 % 2, int("12abc"), "3" + "4", "3" "4", 010, 1/7, 1234567.5, 0.000012345 }'], refs: ['host', 'plan9'] },
  { argv: ['awk', 'BEGIN { print "a\\tb\\\\c\\"d\\/e\\101" }'], refs: ['busybox', 'plan9'] },
  { argv: ['awk', 'BEGIN { a = b = 3; y = 1; x = y++ + ++y; print a, b, x, y; z = -5; print (z > 0 ? "pos" : z < 0 ? "neg" : "zero") }'], refs: ALL },
  { argv: ['awk', 'BEGIN { print !x, !!x, -"3", !"", !"a", !0, !"0" }'], refs: ALL },
  { argv: ['awk', 'BEGIN { print NF, length($0), NR; NR = 10 } { print NR }'], stdin: 'a\nb\n', refs: ALL },
  { argv: ['awk', 'BEGIN { RS = ";" } { print NR ":" $0 }'], stdin: 'a;b;c\n', refs: ALL },
  { argv: ['awk', 'BEGIN { RS = "[,;]+" } { print NR ":" $0 }'], stdin: 'a,,b;c', refs: ['host'] },
  { argv: ['awk', 'BEGIN { FS = "" } { print NF, $2 }'], stdin: 'abc\n', refs: ['host', 'busybox'] },
  { argv: ['awk', '-v', 'OFS=:', '{ $1 = $1 } 1'], stdin: 'a b c\n', refs: ALL },
  { argv: ['awk', '{ $0 = toupper($0); print $1 }'], stdin: 'abc def\n', refs: ALL },
  { argv: ['awk', 'BEGIN { printf "%s-%s|%d\n", "a" }'], refs: ['host', 'plan9'] },
  { argv: ['awk', '{ print > "out" } END { close("out"); while ((getline l < "out") > 0) print "re:", l }'], stdin: 'x\ny\n', refs: ALL },
  { argv: ['awk', '{ print $1 >> "f2" }'], stdin: 'z\n', files: F, after: ['cat', 'f2'], refs: ALL },
  { argv: ['awk', 'BEGIN { s = "foo.bar.baz"; n = gsub(/\./, "/", s); print n, s; t = "aaa"; sub("a+", "[&&]", t); print t; u = "x"; gsub(//, "-", u); print u }'], refs: ['host'] },
  { argv: ['awk', 'BEGIN { x["a"]; if ("a" in x) print "in"; if (("b" in x) == 0) print "out"; print length(x) }'], refs: ['host', 'busybox'] },
  { argv: ['awk', 'BEGIN { x'], refs: ALL },
];

const PLAN9 = '/usr/lib/plan9/bin';

/** How to run a reference on the host, or why it cannot be. */
function hostCommand(ref: Ref, name: string): { file: string; args: string[] } | string {
  if (ref === 'host') {
    const p = ['/usr/bin/', '/bin/'].map((d) => d + name).find((x) => existsSync(x));
    return p ? { file: p, args: [] } : `host has no ${name}`;
  }
  if (ref === 'busybox') {
    if (!existsSync('/bin/busybox')) return 'no /bin/busybox';
    try {
      if (!execFileSync('/bin/busybox', ['--list']).toString().split('\n').includes(name)) return `busybox has no ${name}`;
    } catch { return 'busybox --list failed'; }
    return { file: '/bin/busybox', args: [name] };
  }
  return existsSync(`${PLAN9}/${name}`) ? { file: `${PLAN9}/${name}`, args: [] } : `9base has no ${name}`;
}

interface Outcome {
  out: string;
  ok: boolean;
}

/** diff -u headers carry times and (busybox) no tab: compare names only. */
const normalize = (s: string): string => s.replace(/^(---|\+\+\+) (\S+).*$/gm, '$1 $2');

function runHost(dir: string, cmd: { file: string; args: string[] }, argv: string[], stdin: string): Outcome {
  try {
    const out = execFileSync(cmd.file, [...cmd.args, ...argv.slice(1)], {
      cwd: dir, input: stdin, stdio: ['pipe', 'pipe', 'pipe'],
      env: { LC_ALL: 'C', TZ: 'UTC', PATH: '/usr/bin:/bin', PLAN9: '/usr/lib/plan9' },
    });
    return { out: normalize(out.toString('latin1')), ok: true };
  } catch (e) {
    const err = e as { stdout?: Buffer };
    return { out: normalize(err.stdout?.toString('latin1') ?? ''), ok: false };
  }
}

const title = (c: Case): string => c.argv.map((a) => (/^[\w./,:=+-]+$/.test(a) ? a : JSON.stringify(a))).join(' ') + (c.stdin !== undefined ? ' <stdin' : '');

describe('text commands against host implementations (LC_ALL=C)', () => {
  for (const c of CASES) {
    for (const ref of c.refs ?? (['host', 'busybox'] as Ref[])) {
      const cmd = hostCommand(ref, c.argv[0]!);
      const after = c.after ? hostCommand('host', c.after[0]!) : undefined;
      const name = `${ref}: ${title(c)}`;
      if (typeof cmd === 'string' || typeof after === 'string') {
        it.skip(`${name} (${typeof cmd === 'string' ? cmd : after})`, () => {});
        continue;
      }
      it(name, async () => {
        const dir = mkdtempSync(join(tmpdir(), 'text2diff-'));
        try {
          for (const [n, data] of Object.entries(c.files ?? {})) writeFileSync(join(dir, n), data);
          const host = runHost(dir, cmd, c.argv, c.stdin ?? '');
          const hostAfter = after ? runHost(dir, after, c.after!, '') : undefined;
          const bb = await Busybox.boot(kernels, Object.fromEntries(TEXT_COMMANDS));
          for (const [n, data] of Object.entries(c.files ?? {})) await bb.write(`/tmp/${n}`, data);
          const ours = await bb.runBytes(c.argv, c.stdin ?? '');
          expect({ out: normalize(ours.out.toString('latin1')), ok: ours.status === '' }).toEqual(host);
          if (c.after) {
            const oursAfter = await bb.runBytes(c.after, '');
            expect({ out: oursAfter.out.toString('latin1'), ok: oursAfter.status === '' }).toEqual(hostAfter);
          }
        } finally { rmSync(dir, { recursive: true, force: true }); }
      });
    }
  }
});

describe('diff against GNU diff on random files', () => {
  const gnu = hostCommand('host', 'diff');
  const run = typeof gnu === 'string' ? it.skip : it;
  run(`300 seeded random pairs in normal, -e, -u and -U n formats${typeof gnu === 'string' ? ` (${gnu})` : ''}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'text2diff-'));
    const bb = await Busybox.boot(kernels, Object.fromEntries(TEXT_COMMANDS));
    let seed = 7;
    const rnd = (): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
    // Few distinct lines, so there are many equally short scripts to choose between.
    const gen = (n: number): string => Array.from({ length: n }, () => 'abcd'[Math.floor(rnd() * 4)]).join('\n') + (rnd() < 0.2 ? '' : '\n');
    try {
      for (let t = 0; t < 300; t++) {
        const a = gen(Math.floor(rnd() * 40)), b = gen(Math.floor(rnd() * 40));
        const r = rnd();
        const flags = r < 0.2 ? ['-e'] : r < 0.45 ? [] : r < 0.7 ? ['-u'] : ['-U', String(Math.floor(rnd() * 5))];
        if (flags[0] === '-e' && (!a.endsWith('\n') || !b.endsWith('\n'))) continue;
        writeFileSync(join(dir, 'a'), a);
        writeFileSync(join(dir, 'b'), b);
        await bb.write('/tmp/a', a);
        await bb.write('/tmp/b', b);
        const argv = ['diff', ...flags, 'a', 'b'];
        const host = runHost(dir, gnu as { file: string; args: string[] }, argv, '');
        const ours = await bb.runBytes(argv, '');
        expect({ argv, a, b, out: normalize(ours.out.toString('latin1')) }).toEqual({ argv, a, b, out: host.out });
      }
    } finally { rmSync(dir, { recursive: true, force: true }); }
  }, 60_000);
});
