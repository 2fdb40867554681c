// A Server serves one FileServer to many connections, each its own Session.

import type { FileServer } from './fileserver.ts';
import type { Link } from '../transport/link.ts';
import { Session } from './session.ts';
import type { SessionOptions } from './session.ts';

export class Server<N = unknown> {
  readonly fs: FileServer<N>;
  readonly sessions = new Set<Session<N>>();
  private readonly opts: SessionOptions;

  constructor(fs: FileServer<N>, opts: SessionOptions = {}) {
    this.fs = fs;
    this.opts = opts;
  }

  serve(link: Link): Session<N> {
    const s = new Session(this.fs, link, this.opts);
    this.sessions.add(s);
    s.whenClosed(() => this.sessions.delete(s));
    return s;
  }

  closeAll(): void {
    for (const s of this.sessions) s.close();
  }
}
