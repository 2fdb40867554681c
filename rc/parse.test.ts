import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse, parseOrThrow, RcSyntaxError } from './parse.ts';
import { printScript } from './print.ts';
import type { Cmd } from './tree.ts';

function strip(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(strip);
  if (x && typeof x === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) if (k !== 'line') o[k] = strip(v);
    return o;
  }
  return x;
}

function tree(src: string): Cmd | null {
  return parseOrThrow(src);
}
function show(src: string): string {
  return printScript(tree(src));
}
function err(src: string): RcSyntaxError {
  const r = parse(src);
  if (r.ok) throw new Error(`expected error for ${JSON.stringify(src)}`);
  return r.error;
}
function roundTrip(src: string): void {
  const t1 = tree(src);
  const p1 = printScript(t1);
  const t2 = parseOrThrow(p1);
  expect(strip(t2)).toEqual(strip(t1));
  expect(printScript(t2)).toBe(p1);
}

const lit = (text: string, quoted = false) => ({ kind: 'lit', text, quoted });

describe('words', () => {
  it('simple command', () => {
    expect(strip(tree('echo hello world'))).toEqual({
      kind: 'simple', words: [lit('echo'), lit('hello'), lit('world')], redirs: [],
    });
  });
  it('quotes with doubled quote', () => {
    expect(strip(tree("echo 'it''s a b'"))).toMatchObject({ words: [lit('echo'), lit("it's a b", true)] });
    expect(strip(tree("echo ''"))).toMatchObject({ words: [lit('echo'), lit('', true)] });
  });
  it('variables, count, flat, subscripts', () => {
    const t = strip(tree('echo $x $#x $"x $x(1 2) $$y')) as { words: unknown[] };
    expect(t.words.slice(1)).toEqual([
      { kind: 'var', name: lit('x'), sub: null },
      { kind: 'count', name: lit('x') },
      { kind: 'flat', name: lit('x') },
      { kind: 'var', name: lit('x'), sub: [lit('1'), lit('2')] },
      { kind: 'var', name: { kind: 'var', name: lit('y'), sub: null }, sub: null },
    ]);
  });
  it('free carets', () => {
    expect(strip(tree('echo $x.c')) ).toMatchObject({ words: [lit('echo'), { kind: 'concat', parts: [{ kind: 'var', name: lit('x'), sub: null }, lit('.c')] }] });
    expect(strip(tree('echo a$b'))).toMatchObject({ words: [lit('echo'), { kind: 'concat', parts: [lit('a'), { kind: 'var', name: lit('b'), sub: null }] }] });
    expect(show("echo a'b'c $a$b x`{ls}")).toBe("echo a^'b'^c $a^$b x^`{ls}\n");
    expect(show('echo a^b ^ c')).toBe('echo a^b^c\n');
    expect(show('echo $x-y')).toBe('echo $x^-y\n');
  });
  it('keywords are words in argument position', () => {
    expect(show('echo if for in not ~ ! @ fn while switch')).toBe('echo if for in not ~ ! @ fn while switch\n');
  });
  it('backquote with and without ifs', () => {
    expect(strip(tree('x=`{ls -l}'))).toMatchObject({ kind: 'assign', value: { kind: 'backquote', ifs: null } });
    expect(strip(tree("x=`'\n'{cat f}"))).toMatchObject({ value: { kind: 'backquote', ifs: lit('\n', true) } });
  });
  it('pipefd words', () => {
    expect(strip(tree('cmp <{ls a} >{tee b}'))).toMatchObject({ words: [lit('cmp'), { kind: 'pipefd', dir: '<' }, { kind: 'pipefd', dir: '>' }] });
  });
  it('lists', () => {
    expect(strip(tree('x=(a b c)'))).toEqual({ kind: 'assign', name: lit('x'), value: { kind: 'list', words: [lit('a'), lit('b'), lit('c')] }, body: null });
    expect(strip(tree('x=()'))).toMatchObject({ value: { kind: 'list', words: [] } });
  });
  it('comments only where a token starts', () => {
    expect(show('echo a # c\necho b#c')).toBe('echo a\necho b\n');
    expect(show("echo '#x' $#y")).toBe("echo '#x' $#y\n");
  });
  it('line continuation', () => {
    const t = tree('echo a \\\n b') as { words: unknown[] };
    expect(t.words.length).toBe(3);
    expect(show("echo 'a\\\nb'")).toBe("echo 'a\\\nb'\n");
  });
  it('= in an argument is a syntax error as in rc', () => {
    expect(err('echo a=b').message).toBe("rc:1: syntax error near '='");
  });
});

describe('redirections', () => {
  it('file redirections and fds', () => {
    const t = strip(tree('cmd >a >>b <c <>d >[2]e <[3]f')) as { redirs: unknown[] };
    expect(t.redirs).toEqual([
      { kind: 'file', op: '>', fd: 1, target: lit('a') },
      { kind: 'file', op: '>>', fd: 1, target: lit('b') },
      { kind: 'file', op: '<', fd: 0, target: lit('c') },
      { kind: 'file', op: '<>', fd: 0, target: lit('d') },
      { kind: 'file', op: '>', fd: 2, target: lit('e') },
      { kind: 'file', op: '<', fd: 3, target: lit('f') },
    ]);
  });
  it('dup and close', () => {
    expect((strip(tree('cmd >[2=1] >[3=]')) as { redirs: unknown[] }).redirs).toEqual([
      { kind: 'dup', op: '>', fd: 2, from: 1 },
      { kind: 'close', op: '>', fd: 3 },
    ]);
  });
  it('prefix redirection and block epilog', () => {
    expect(strip(tree('>f echo hi'))).toMatchObject({ kind: 'redir', redir: { kind: 'file', op: '>' }, body: { kind: 'simple' } });
    expect(strip(tree('>f'))).toMatchObject({ kind: 'redir', body: null });
    expect(strip(tree('{a; b} >f >[2=1]'))).toMatchObject({ kind: 'block', redirs: [{ kind: 'file' }, { kind: 'dup' }] });
  });
  it('here documents', () => {
    const t = tree('cat <<EOF\nhello $x\nEOF\necho done') as { kind: string; cmds: unknown[] };
    expect(strip(t)).toEqual({ kind: 'seq', cmds: [
      { kind: 'simple', words: [lit('cat')], redirs: [{ kind: 'here', fd: 0, marker: 'EOF', quoted: false, body: 'hello $x\n' }] },
      { kind: 'simple', words: [lit('echo'), lit('done')], redirs: [] },
    ] });
    expect(strip(tree("cat <<'EOF'\n$x\nEOF\n"))).toMatchObject({ redirs: [{ marker: 'EOF', quoted: true, body: '$x\n' }] });
    expect(strip(tree('a <<A; b <<B\n1\nA\n2\nB\n'))).toMatchObject({ cmds: [{ redirs: [{ body: '1\n' }] }, { redirs: [{ body: '2\n' }] }] });
  });
  it('bad redirections', () => {
    expect(err('cmd >[x]f').message).toBe("rc:1: redirection syntax near '>['");
    expect(err('a |[2=] b').message).toContain('pipe syntax');
    expect(err('cmd >>[2=1]').message).toContain('redirection syntax');
  });
});

describe('commands', () => {
  it('pipelines with fds', () => {
    expect(strip(tree('a | b |[2] c |[3=4] d'))).toMatchObject({
      kind: 'pipe', fdLeft: 4, fdRight: 3,
      left: { kind: 'pipe', fdLeft: 2, fdRight: 0, left: { kind: 'pipe', fdLeft: 1, fdRight: 0 } },
    });
  });
  it('precedence: ! binds a pipeline, && || are left associative', () => {
    expect(show('! a | b && c || d')).toBe('! a | b && c || d\n');
    expect(strip(tree('! a | b && c || d'))).toMatchObject({
      kind: 'or', left: { kind: 'and', left: { kind: 'not', body: { kind: 'pipe' } } },
    });
    expect(strip(tree('x=1 a | b && c'))).toMatchObject({ kind: 'and', left: { kind: 'assign', body: { kind: 'pipe' } } });
  });
  it('newlines after && || | are skipped', () => {
    expect(strip(tree('a &&\n\nb ||\n c |\n d'))).toMatchObject({ kind: 'or', right: { kind: 'pipe' } });
  });
  it('sequences and background', () => {
    expect(strip(tree('a; b & c\nd'))).toMatchObject({ kind: 'seq', cmds: [
      { kind: 'simple' }, { kind: 'bg', body: { kind: 'simple' } }, { kind: 'simple' }, { kind: 'simple' },
    ] });
    expect(tree(';;\n\n')).toBeNull();
  });
  it('groups and subshells', () => {
    expect(strip(tree('{a; b}'))).toMatchObject({ kind: 'block', body: { kind: 'seq' } });
    expect(strip(tree('@{cd /; ls}'))).toMatchObject({ kind: 'subshell', body: { kind: 'block' } });
    expect(strip(tree('{}'))).toEqual({ kind: 'block', body: null, redirs: [] });
  });
  it('if, if not; body extends over && ', () => {
    expect(strip(tree('if(test -f x) a && b\nif not c'))).toMatchObject({ kind: 'seq', cmds: [
      { kind: 'if', cond: { kind: 'simple' }, body: { kind: 'and' } },
      { kind: 'ifnot', body: { kind: 'simple' } },
    ] });
    expect(strip(tree('if(a)\n\n{b}'))).toMatchObject({ kind: 'if', body: { kind: 'block' } });
  });
  it('for and while', () => {
    expect(strip(tree('for(i in a b) echo $i'))).toMatchObject({ kind: 'for', name: lit('i'), list: [lit('a'), lit('b')] });
    expect(strip(tree('for(i) echo $i'))).toMatchObject({ kind: 'for', list: null });
    expect(strip(tree('for(i in) echo'))).toMatchObject({ kind: 'for', list: [] });
    expect(strip(tree('while(~ $x y) {x=z}'))).toMatchObject({ kind: 'while', cond: { kind: 'match' }, body: { kind: 'block' } });
  });
  it('switch', () => {
    const t = strip(tree("switch($1){\ncase *.c\n\techo c\n\techo C\ncase a b 'c'\n\techo abc\ncase *\n}"));
    expect(t).toMatchObject({ kind: 'switch', subject: { kind: 'list' }, cases: [
      { patterns: [lit('*.c')], body: [{ kind: 'simple' }, { kind: 'simple' }] },
      { patterns: [lit('a'), lit('b'), lit('c', true)], body: [{ kind: 'simple' }] },
      { patterns: [lit('*')], body: [] },
    ] });
    expect(err('switch x {echo hi}').message).toBe("rc:1: case missing in switch near 'switch'");
  });
  it('match', () => {
    expect(strip(tree('~ $x *.c a?'))).toEqual({ kind: 'match', subject: { kind: 'var', name: lit('x'), sub: null }, patterns: [lit('*.c'), lit('a?')] });
  });
  it('functions', () => {
    expect(strip(tree('fn foo {echo $*}'))).toMatchObject({ kind: 'fndef', names: [lit('foo')], body: { kind: 'simple' } });
    expect(strip(tree('fn a b'))).toEqual({ kind: 'fndel', names: [lit('a'), lit('b')] });
    expect(strip(tree('fn f {}'))).toEqual({ kind: 'fndef', names: [lit('f')], body: null });
  });
  it('assignments', () => {
    expect(strip(tree('a=1 b=2 env'))).toMatchObject({ kind: 'assign', name: lit('a'), body: { kind: 'assign', name: lit('b'), body: { kind: 'simple' } } });
    expect(strip(tree('x = y'))).toMatchObject({ kind: 'assign', body: null });
    expect(strip(tree('$x=1'))).toMatchObject({ kind: 'assign', name: { kind: 'var' } });
  });
  it('line numbers on nodes', () => {
    const t = tree('a\n\nif(b)\n  c') as { cmds: Array<{ line: number; body?: { line: number } }> };
    expect(t.cmds[0]?.line).toBe(1);
    expect(t.cmds[1]?.line).toBe(3);
    expect(t.cmds[1]?.body?.line).toBe(4);
  });
});

describe('errors', () => {
  it('report line and token', () => {
    expect(err('echo a\necho )').message).toBe("rc:2: syntax error near ')'");
    expect(err('a\nb\n}').message).toBe("rc:3: syntax error near '}'");
    expect(err('if x').message).toBe("rc:1: syntax error near 'x'");
    expect(err('a && ;').message).toBe("rc:1: syntax error near ';'");
    expect(err('echo {').message).toBe("rc:1: syntax error near '{'");
    expect(err('in x').line).toBe(1);
    expect(err('x=\n').message).toBe("rc:1: syntax error near '\\n'");
    expect(err('echo a(b)').message).toBe("rc:1: syntax error near '('");
  });
  it('are RcSyntaxError and not incomplete', () => {
    const e = err('a | | b');
    expect(e).toBeInstanceOf(RcSyntaxError);
    expect(e.incomplete).toBe(false);
    expect(() => parseOrThrow(')')).toThrow(RcSyntaxError);
  });
});

describe('incomplete input', () => {
  const cases = ['{', 'if(a', "echo 'abc", 'cat <<EOF\nline\n', 'cat <<EOF', 'a &&', 'a |\n', 'for(i in a b)\n', 'fn f {\necho', 'echo a \\\n', 'x=`{ls', 'echo $x(1', 'switch x {\ncase a'];
  for (const src of cases) {
    it(JSON.stringify(src), () => {
      const r = parse(src);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.incomplete).toBe(true);
    });
  }
  it('complete when finished', () => {
    expect(parse('{\necho\n}').ok).toBe(true);
    expect(parse('cat <<EOF\nline\nEOF\n').ok).toBe(true);
    expect(parse('cat <<EOF\nline\nEOF').ok).toBe(true);
  });
});

describe('printer round trip', () => {
  const scripts = [
    'echo hello',
    "echo 'a b' 'it''s' $x $#x $\"x $x(1 2) $$y $x.c a$b",
    'x=(a b c); y=() z=`{ls} env',
    "x=`'\n'{cat f}",
    'cmd >a >>b <c <>d >[2]e <[3]f >[2=1] >[3=]',
    'a | b |[2] c |[3=4] d && e || f',
    '! a | b; @{cd /; ls} &',
    'if(test -f x) a && b\nif not {c; d}',
    'for(i in a b) echo $i; for(i) echo; for(i in) x',
    'while(~ $x y) {x=z}',
    "switch($1){\ncase *.c\n\techo c\ncase a b 'c'\n\techo abc; echo x\ncase *\n}",
    'fn foo {echo $*; return}; fn foo bar',
    'cat <<EOF | wc; echo done\nhello $x\nEOF\ncat <<\'X\'\n$y\nX\n',
    'fn f {cat <<EOF}\nbody\nEOF\n',
    'cmp <{ls a} >{tee b}',
    '{a; b} >f >[2=1]',
    '>f; >[2]g echo x',
    "'if' a; 'for'=1",
    'echo `{echo a}^b c^`{echo d}',
    // printer edge cases found by the property test
    'echo a\\\necho b',
    'echo $ "x',
    'cat >> [a; cat < <{ls}',
  ];
  for (const s of scripts) it(JSON.stringify(s), () => roundTrip(s));
  it('prints compactly', () => {
    expect(show('if(a){b\nc}')).toBe('if(a) {b; c}\n');
    expect(show('fn f {\n\techo $x.c\n}')).toBe('fn f {echo $x^.c}\n');
  });
});

describe('properties', () => {
  const toks = ['echo', 'a', 'b', '$', '$#', '$"', '^', '`', '(', ')', '{', '}', ';', '&', '&&', '||', '|', '|[2]', '|[2=1]',
    '\n', '=', '<', '>', '>>', '<<', "'", "'q'", '>[2=1]', '>[2=]', '<>', '<{', '>{', '#', '\\\n', 'if', 'not', 'for', 'in',
    'while', 'switch', 'case', 'fn', '~', '!', '@', 'x', '*', '[', ']', 'EOF', '<[3]', '>[x', '\\', 'a\\', "''", '"'];
  const soup = fc.array(fc.tuple(fc.constantFrom(...toks), fc.constantFrom('', ' ', '\n')), { maxLength: 30 })
    .map((ts) => ts.map(([t, s]) => t + s).join(''));

  it('token soup only ever throws RcSyntaxError', () => {
    fc.assert(fc.property(soup, (src) => {
      try {
        parseOrThrow(src);
      } catch (e) {
        if (!(e instanceof RcSyntaxError)) throw e;
      }
      const r = parse(src); // never throws
      expect(typeof r.ok).toBe('boolean');
    }), { numRuns: 3000 });
  });

  it('print then parse is stable for any soup that parses', () => {
    fc.assert(fc.property(soup, (src) => {
      const r = parse(src);
      if (!r.ok) return;
      const p1 = printScript(r.tree);
      const r2 = parse(p1);
      if (!r2.ok) throw new Error(`reprint failed: ${JSON.stringify(src)} -> ${JSON.stringify(p1)}: ${r2.error.message}`);
      expect(strip(r2.tree)).toEqual(strip(r.tree));
    }), { numRuns: 3000 });
  });
});
