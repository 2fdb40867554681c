// Helpers for the /sim tests and the benchmark: a SimServer mounted through an in-process
// 9P pair, and small readers of its text files.

import { Client, Fsys } from '../../fs/client/index.ts';
import { Server } from '../../fs/server/server.ts';
import { linkPair } from '../../fs/transport/pair.ts';
import type { SimServer } from './sim.ts';

/** A 9P client of s over a fresh in-process pair (its own connection). */
export async function mountSim(s: SimServer, uname = 'glenda'): Promise<{ fs: Fsys; client: Client }> {
  const [a, b] = linkPair();
  new Server(s).serve(b);
  const client = await Client.connect(a, { uname });
  return { fs: new Fsys(client), client };
}

export async function readText(fs: Fsys, path: string): Promise<string> {
  return (await fs.readFile(path)).toString('utf8');
}

/** The numbers of a one-line text file (pos, vel). */
export async function readNums(fs: Fsys, path: string): Promise<number[]> {
  return (await readText(fs, path)).trim().split(/\s+/).map(Number);
}

/** A ctl write, one command a line. */
export function ctl(fs: Fsys, ...lines: string[]): Promise<void> {
  return fs.writeFile('/ctl', lines.map((l) => `${l}\n`).join(''));
}
