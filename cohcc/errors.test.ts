// Bad input: one clear error naming the place (file:line:col, function, block, instruction),
// never a crash, never output. Each case is a whole source and the exact message.

import { describe, expect, it } from 'vitest';
import { compile } from './compile.ts';
import { CohccError } from './error.ts';

const F = (body: string, head = 'func @main() -> i32 {'): string => `${head}\n${body}\n}\n`;

const CASES: Array<[string, string, string]> = [
  ['unknown opcode', F('entry:\n  %x = frob i32 1, 2\n  ret i32 %x'), 'bad.ir:3:8: unknown opcode \'frob\''],
  ['unterminated string', 'data @s = "abc\n', 'bad.ir:1:11: unterminated string'],
  ['missing operand', F('entry:\n  %x = add i32 1\n  ret i32 %x'), "bad.ir:4:3: expected ',', found 'ret'"],
  ['a literal too wide', F('entry:\n  ret i32 4294967296'), 'bad.ir:3:11: literal 4294967296 does not fit in i32'],
  ['a float where an int goes', F('entry:\n  ret i32 1.5'), 'bad.ir:3:11: float literal 1.5 where i32 is wanted'],
  ['no terminator', F('entry:\n  %x = add i32 1, 2'), "bad.ir:3:3: func @main, block entry, '%x = add i32 1, 2': block does not end in a terminator (br, condbr or ret)"],
  ['type mismatch', F('entry:\n  %x = add i64 1, 2\n  %y = add i32 %x, 1\n  ret i32 %y'), "bad.ir:4:3: func @main, block entry, '%y = add i32 %x, 1': operand 1 is i64, add wants i32"],
  ['use before definition', F('entry:\n  %y = add i32 %x, 1\n  %x = add i32 1, 1\n  ret i32 %y'), "bad.ir:3:3: func @main, block entry, '%y = add i32 %x, 1': %x is used where its definition does not dominate"],
  ['undefined variable', F('entry:\n  ret i32 %nope'), "bad.ir:3:3: func @main, block entry, 'ret i32 %nope': use of undefined %nope"],
  ['branch to nowhere', F('entry:\n  br elsewhere'), "bad.ir:3:3: func @main, block entry, 'br elsewhere': no block named elsewhere"],
  ['branch to the entry', F('entry:\n  br entry'), 'bad.ir:2:1: func @main, block entry: the entry block entry cannot be a branch target'],
  ['phi missing a predecessor', F('entry:\n  %c = eq i32 1, 1\n  condbr %c, a, b\na:\n  br j\nb:\n  br j\nj:\n  %p = phi i32 [1, a]\n  ret i32 %p'),
    "bad.ir:10:3: func @main, block j, '%p = phi i32 [1, a]': phi has no value for predecessor b"],
  ['defined twice', F('entry:\n  %x = add i32 1, 1\n  %x = add i32 2, 2\n  ret i32 %x'), "bad.ir:4:3: func @main, block entry, '%x = add i32 2, 2': %x defined twice"],
  ['wrong call arity', F('entry:\n  %w = call i32 @write(1, 2)\n  ret i32 0'), "bad.ir:3:3: func @main, block entry, '%w = call i32 @write(1, 2)': call takes 3 operands"],
  ['unknown function', F('entry:\n  call @nothing()\n  ret i32 0'), "bad.ir:3:3: func @main, block entry, 'call @nothing()': call of unknown function @nothing"],
  ['return type', F('entry:\n  ret'), "bad.ir:3:3: func @main, block entry, 'ret': returns void from a function returning i32"],
  ['redefining a syscall', 'func @write() {\nentry:\n  ret\n}\n', 'bad.ir:1:1: @write is a syscall and cannot be redefined'],
  ['no main', 'func @f() {\nentry:\n  ret\n}\n', 'bad.ir: no function @main() to run'],
  ['bad JSON', '{"schema_version": 1, "name": ', 'bad.ir:1:1: bad JSON: Unexpected end of JSON input'],
  ['JSON unknown op', '{"schema_version":1,"name":"main","args":[],\n "body":[\n  {"op":"Frob","dst":"x","src":[1]}]}', "bad.ir:3:3: func @main, 'body[0]': unknown opcode 'Frob'"],
  ['JSON use before assignment', '{"schema_version":1,"name":"main","args":[],"body":[{"op":"Ret","src":["q"]}]}', "bad.ir:1:53: func @main, 'body[0]': use of q before any assignment"],
];

describe('bad input', () => {
  for (const [what, src, msg] of CASES) {
    it(`${what}: ${msg}`, () => {
      let err: unknown;
      try { compile(src, { file: 'bad.ir', emit: 'wasm' }); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(CohccError);
      expect((err as Error).message).toBe(msg);
    });
  }
});
