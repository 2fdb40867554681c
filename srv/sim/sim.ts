// /sim: a Rapier physics world as a file tree (sim(4)).
//
//   /sim/ctl                   read: status lines; write: commands, one a line (parse.ts)
//   /sim/world.json            read: the whole world; write a whole one to restore it
//   /sim/clock                 step N time T
//   /sim/events                contact events `STEP start|stop ID1 ID2`, blocking at the end
//   /sim/trace                 every accepted command as `STEP command` (replayable into ctl)
//   /sim/bodies/ID/{pos,vel,shape,ctl}
//   /sim/data/{state,clock,events,world.json}   the read-only view SimulatorTest binds
//
// The tree is the tree helper's (fs/server/tree.ts); the simulation, its queue and its trace
// are engine.ts's. Writes of one fid may split a line; a write's complete lines go to the
// engine as one batch, applied all or nothing, and a last unterminated line runs at clunk.

import type { Req } from '../../fs/server/fileserver.ts';
import type { Session, TreeDir, TreeNode } from '../../fs/server/tree.ts';
import { Eperm } from '../../fs/9p/errors.ts';
import { Elinelong, MAXLINE, Tree, dir, gen, readStr, session, text, toBytes } from '../../fs/server/tree.ts';
import type { ServiceSpec } from '../../kernel/services.ts';
import { Sim } from './engine.ts';
import type { SimOptions } from './engine.ts';
import { parseBodyLine } from './parse.ts';
import { MAXJSON } from './worldjson.ts';

/** A file of command lines: each write's complete lines go to run together; the rest waits for more (or clunk). */
function lineFile(name: string, mode: number, run: (text: string, req: Req) => Promise<void>, status?: () => string): TreeNode {
  return session(name, () => {
    const decoder = new TextDecoder();
    let pending = '';
    let snap: Uint8Array | undefined;
    const s: Session = {
      write: async (_offset, data, req) => {
        const all = pending + decoder.decode(data, { stream: true });
        const nl = all.lastIndexOf('\n');
        pending = all.slice(nl + 1);
        if (pending.length > MAXLINE) { pending = ''; throw new Error(Elinelong); }
        if (nl >= 0) {
          try { await run(all.slice(0, nl), req); } catch (e) { pending = ''; throw e; }
        }
        return data.length;
      },
      clunk: async (req) => {
        const rest = pending + decoder.decode();
        pending = '';
        if (rest.trim() !== '') await run(rest, req);
      },
    };
    if (status) s.read = (offset, count) => { if (offset === 0 || !snap) snap = toBytes(status()); return readStr(snap, offset, count); };
    return s;
  }, { mode });
}

/** /sim/events and /sim/data/events: each open reads the current world's kept events, then waits for more. */
function eventsFile(sim: Sim): TreeNode {
  return session('events', () => {
    const r = sim.events.open();
    return { read: (_offset, count, req) => r.read(count, req.signal) };
  }, { mode: 0o444 });
}

/**
 * world.json read and write. Writes are put together by offset; as soon as they form a
 * complete JSON document the world is restored, so the writer sees any error. What is left
 * unparsed at clunk is tried there, but 9P cannot report an error of a clunk.
 */
function worldFile(sim: Sim): TreeNode {
  return session('world.json', () => {
    let snap: Uint8Array | undefined;
    let buf = Buffer.alloc(0), len = 0;
    const complete = (): string | undefined => {
      let end = len;
      while (end > 0 && /\s/.test(String.fromCharCode(buf[end - 1]!))) end--;
      // Parsing is tried when the text could be whole: it ends in } or ], or is small.
      if (end === 0 || (buf[end - 1] !== 0x7d && buf[end - 1] !== 0x5d && len > 65536)) return undefined;
      const t = buf.toString('utf8', 0, len);
      try { JSON.parse(t); return t; } catch { return undefined; }
    };
    return {
      read: (offset, count) => {
        if (offset === 0 || !snap) snap = toBytes(sim.worldJson());
        return readStr(snap, offset, count);
      },
      write: async (offset, data) => {
        const end = offset + data.length;
        if (end > MAXJSON) throw new Error(`bad world.json: larger than ${MAXJSON} bytes`);
        if (end > buf.length) { const b = Buffer.alloc(Math.max(end, buf.length * 2)); buf.copy(b, 0, 0, len); buf = b; }
        buf.set(data, offset);
        len = Math.max(len, end);
        const t = complete();
        if (t !== undefined) { len = 0; await sim.restore(t); }
        return data.length;
      },
      clunk: async () => {
        if (len === 0 || buf.toString('utf8', 0, len).trim() === '') return;
        const t = buf.toString('utf8', 0, len);
        len = 0;
        await sim.restore(t); // a parse error says what is wrong
      },
    };
  });
}

/**
 * The root makes nothing, but a create of a name already there must answer `file exists`, so
 * the kernel's create(2) falls back to opening it truncated (cp onto world.json or ctl). The
 * 9P session checks write permission on the directory first and the tree helper refuses
 * directories without a create hook, hence mode 777 and a hook that refuses every new name.
 */
const rootOpts = { mode: 0o777, create: (): never => { throw new Error(Eperm); } };

/** /sim/bodies/ID: pos, vel, shape and a ctl taking impulse, pos, vel, remove. */
function bodyDir(sim: Sim, id: number): TreeNode {
  const w = (): Sim['world'] => sim.world;
  return dir(String(id), [
    text('pos', () => w().posText(id)),
    text('vel', () => w().velText(id)),
    text('shape', () => w().shapeText(id)),
    lineFile('ctl', 0o222, async (t) => {
      await sim.apply(t.split('\n').map((l) => l.trim()).filter((l) => l !== '').map((l) => parseBodyLine(id, l)));
    }),
  ]);
}

function simTree(sim: Sim): TreeDir {
  const clock = (): string => sim.world.clockText();
  return dir('/', [
    lineFile('ctl', 0o666, (t) => sim.exec(t), () => sim.status()),
    worldFile(sim),
    text('clock', clock),
    eventsFile(sim),
    text('trace', () => sim.traceText()),
    gen('bodies', {
      list: () => sim.world.ids().map(String),
      make: (name) => (/^[1-9]\d*$/.test(name) && sim.world.has(Number(name)) ? bodyDir(sim, Number(name)) : undefined),
    }),
    dir('data', [
      text('state', () => sim.world.stateText()),
      text('clock', clock),
      eventsFile(sim),
      text('world.json', () => sim.worldJson()),
    ]),
  ], rootOpts);
}

/** The /sim file server; close() stops a running timer and frees the world. */
export class SimServer extends Tree {
  readonly sim: Sim;

  constructor(sim: Sim, owner = 'sys') {
    super(simTree(sim), { owner });
    this.sim = sim;
  }

  close(): void { this.sim.close(); }
}

/** Start a /sim server (loads Rapier on first use). */
export async function startSim(opts: SimOptions = {}): Promise<SimServer> {
  return new SimServer(await Sim.create(opts));
}

/** The service as boot registers it: `services.register('sim', simService())`. */
export function simService(): ServiceSpec {
  return {
    path: '/sim',
    description: 'Rapier physics as files: ctl, world.json, bodies/ID/{pos,vel,shape,ctl}, clock, events, trace, data/ (sim(4))',
    start: () => startSim(),
  };
}

export { Sim, replay } from './engine.ts';
