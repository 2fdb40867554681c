// Role files: every one of the nine parses; bad files fail with file and line.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Right } from './cap.ts';
import { MAFTER, MCREATE } from './namespace.ts';
import { ROLE_NAMES, RoleError, allowsCommand, expand, loadAllRoles, loadRole, parseRole, repoRoot, roleName, rolesDir, words } from './role.ts';

const GOOD = `# a comment
role Test
description A test role: it's fine.
services sim
cap ns m
cap dev:#c rwl
cap dev:#sim rl
commands echo ls
bind #c /dev
mount -ac #sim /sim/data 'spec with space'
unmount /dev
bind /dev /n/$worker
`;

function errorOf(text: string): RoleError {
  try { parseRole(text, 'x.role', 'Test'); } catch (e) { if (e instanceof RoleError) return e; throw e; }
  throw new Error('parsed without error');
}

describe('role files', () => {
  it('are found from the sources (and dist/, by package.json) and all nine parse', () => {
    expect(rolesDir()).toBe(join(repoRoot(), 'kernel', 'roles'));
    const roles = loadAllRoles();
    expect(roles.map((r) => r.name).sort()).toEqual([...ROLE_NAMES].sort());
    for (const r of roles) {
      expect(r.description, r.name).not.toBe('');
      expect(r.namespace.length, r.name).toBeGreaterThan(0);
      expect(r.namespace.some((l) => l.text === 'bind #c /dev'), r.name).toBe(true);
    }
  });

  it('carry the syscall classes of DESIGN.md as capabilities', () => {
    const has = (role: string, object: string, r: number): boolean =>
      loadRole(role).caps.some((c) => c.object === object && (c.rights & r) === r);
    for (const q of ['QueenPrimary', 'RegionalQueen', 'BareMetalQueen']) {
      expect(has(q, 'proc', Right.spawn | Right.grant), q).toBe(true);
      expect(has(q, 'ns', Right.mount | Right.grant), q).toBe(true);
      expect(has(q, 'dev:#b', Right.exec), q).toBe(true);
      expect(loadRole(q).commands).toBe('*');
    }
    for (const r of ROLE_NAMES.filter((n) => !n.includes('Queen'))) expect(has(r, 'ns', Right.grant), r).toBe(false); // no ApplyNs
    expect(has('DroneWorker', 'proc', Right.spawn)).toBe(true);
    expect(has('DroneWorker', 'ns', Right.mount)).toBe(true);
    expect(has('DroneWorker', 'proc', Right.grant)).toBe(false);
    expect(has('SensorRelay', 'dev:#b', Right.exec)).toBe(false);
    expect(has('SensorRelay', 'proc', 0)).toBe(false);
    for (const r of ['InteractiveAiBooth', 'GlassesAgent', 'SimulatorTest', 'KioskInteractive']) expect(has(r, 'dev:#b', Right.exec), r).toBe(true);
    for (const r of ['KioskInteractive', 'InteractiveAiBooth']) {
      const role = loadRole(r);
      expect(role.commands).toEqual(['echo', 'ls', 'mount', 'cat', 'cohcc', 'run']);
      expect(allowsCommand(role, 'cat')).toBe(true);
      expect(allowsCommand(role, 'rm')).toBe(false);
    }
  });

  it('parse every statement', () => {
    const r = parseRole(GOOD, 'x.role', 'Test');
    expect(r.name).toBe('Test');
    expect(r.description).toBe("A test role: it's fine.");
    expect(r.services).toEqual(['sim']);
    expect(r.caps.map((c) => [c.object, c.rights, c.line])).toEqual([['ns', Right.mount, 5], ['dev:#c', Right.read | Right.write | Right.walk, 6], ['dev:#sim', Right.read | Right.walk, 7]]);
    expect(r.commands).toEqual(['echo', 'ls']);
    expect(r.namespace.map((l) => [l.verb, l.flags, l.args, l.device, l.line])).toEqual([
      ['bind', 0, ['#c', '/dev'], '#c', 9],
      ['mount', MAFTER | MCREATE, ['#sim', '/sim/data', 'spec with space'], '#sim', 10],
      ['unmount', 0, ['/dev'], undefined, 11],
      ['bind', 0, ['/dev', '/n/$worker'], undefined, 12],
    ]);
    expect([...r.vars]).toEqual(['worker']);
    expect(expand('/n/$worker/x', { worker: 'w7' })).toBe('/n/w7/x');
    expect(words("a 'b c' 'it''s' d'e f'")).toEqual(['a', 'b c', "it's", 'de f']);
  });

  it.each([
    ['role Test\nrole Test\n', 2, "second 'role' statement (the first is on line 1)"],
    ['role Other\n', 1, "role 'Other' in a file for 'Test'"],
    ['role Test\nfrobnicate /x\n', 2, "unknown statement 'frobnicate' (want role, description, services, cap, commands, bind, mount or unmount)"],
    ['role Test\ncap ns\n', 2, "'cap' wants OBJECT RIGHTS, got 1 words"],
    ['role Test\ncap ns mq\n', 2, 'bad rights \'mq\' for ns (letters from rwlcdmxsg: read write walk create remove mount exec spawn grant)'],
    ['role Test\ncap disk rw\n', 2, "bad capability object 'disk' (want ns, proc, net, dev:#x or srv:NAME)"],
    ['role Test\ncap ns m\ncap ns r\n', 3, 'second capability for ns (the first is on line 2)'],
    ['role Test\ncap dev:#c r\n\n\nbind -z #c /dev\n', 5, "bad flag '-z' (want -a, -b, -c or a combination like -ac)"],
    ['role Test\ncap dev:#c r\nbind -ab #c /dev\n', 3, "flag '-ab': -a and -b together"],
    ['role Test\ncap dev:#c r\nbind #c\n', 3, "'bind' wants NEW OLD, got 1 words"],
    ['role Test\ncap dev:#c r\nbind #c dev\n', 3, "mount point 'dev' is not an absolute path"],
    ['role Test\nbind #c /dev\n', 2, "#c is used but the role holds no 'cap dev:#c' (give one before this line)"],
    ['role Test\ncap dev:#sim r\nmount #sim /sim\n', 3, "#sim is not a kernel device and 'sim' is not in this role's services (list it on a services line before this)"],
    ['role Test\nmount tcp /n/x\n', 2, "mount source 'tcp' is not a device (#x), a posted channel (/srv/NAME) or a dial string (tcp!host!port)"],
    ['role Test\nbind /a /n/$home\n', 2, "unknown variable '$home' (want $role $sysname $user $worker)"],
    ["role Test\nbind '/a /b\n", 2, 'unterminated quote'],
    ['role Test\nservices Sim\n', 2, "bad service name 'Sim' (lower case letters, digits, - and _, two characters at least)"],
    ['role Test\ncommands * ls\n', 2, "'commands *' stands alone"],
    ['role Test\ndescription x\ncommands *\nservices sim\n', 5, "service 'sim' has no 'cap dev:#sim'"],
    ['role Test\ncommands *\n', 3, "no 'description' statement"],
  ])('reject %j at line %i', (text, line, msg) => {
    const e = errorOf(text);
    expect(e.line).toBe(line);
    expect(e.file).toBe('x.role');
    expect(e.message).toBe(`x.role:${line}: ${msg}`);
  });

  it('load by name, case-insensitively; an unknown role lists the nine', () => {
    expect(loadRole('droneworker').name).toBe('DroneWorker');
    expect(roleName(' SensorRelay ')).toBe('SensorRelay');
    expect(() => roleName('Overlord', 'COHROLE')).toThrow(
      "unknown role 'Overlord' (from COHROLE): want one of QueenPrimary, RegionalQueen, BareMetalQueen, DroneWorker, InteractiveAiBooth, KioskInteractive, GlassesAgent, SensorRelay, SimulatorTest",
    );
  });

  it('report a bad file in a roles directory by its path and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cohesix-roles-'));
    try {
      writeFileSync(join(dir, 'DroneWorker.role'), 'role DroneWorker\ndescription d\ncommands *\ncap dev:#c r\nbind #c\n');
      expect(() => loadRole('DroneWorker', dir)).toThrow(`${join(dir, 'DroneWorker.role')}:5: 'bind' wants NEW OLD, got 1 words`);
      expect(() => loadRole('SensorRelay', dir)).toThrow(/role SensorRelay: cannot read .*SensorRelay\.role/);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});
