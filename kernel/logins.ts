// Login records: every console session (terminal, web tab) and every 9P connection to an
// exported node is a session with a user, a name and where it came from. The kernel keeps
// the live ones (for who and finger, with idle times) and an append-only record of logins
// and logouts (wtmp, for last), served by #adm as /adm/who and /adm/wtmp.
//
// /adm/wtmp lines:  login SESSION USER SECONDS FROM      logout SESSION USER SECONDS
// /adm/who lines:   SESSION USER SECONDS FROM IDLE        (IDLE in seconds, or - when unknown)
// SECONDS are Unix seconds; FROM is tty, a dial string or a browser's address (no blanks).

/** Records kept in memory; older ones are dropped (the file says how many were). */
export const WTMP_KEEP = 10_000;

interface Live {
  user: string;
  from: string;
  start: number;
  idle: (() => number) | undefined;
}

export class Logins {
  readonly #live = new Map<string, Live>();
  readonly #wtmp: string[] = [];
  #dropped = 0;
  #next = 1;

  /**
   * A session begins; returns the function that ends it (once). name is a prefix made unique
   * ('console' stays as it is the first time, then console.2 ...); idle gives milliseconds.
   */
  login(user: string, name: string, from: string, idle?: () => number): { session: string; logout: () => void } {
    let session = name;
    if (this.#live.has(session)) session = `${name}.${this.#next++}`;
    const clean = (s: string): string => s.replace(/\s+/g, '_') || '-';
    const rec: Live = { user: clean(user), from: clean(from), start: Date.now(), idle };
    this.#live.set(session, rec);
    this.#append(`login ${session} ${rec.user} ${secs(rec.start)} ${rec.from}`);
    let done = false;
    return {
      session,
      logout: () => {
        if (done) return;
        done = true;
        if (this.#live.get(session) === rec) this.#live.delete(session);
        this.#append(`logout ${session} ${rec.user} ${secs(Date.now())}`);
      },
    };
  }

  #append(line: string): void {
    this.#wtmp.push(line);
    if (this.#wtmp.length > WTMP_KEEP) { this.#wtmp.shift(); this.#dropped++; }
  }

  wtmpText(): string {
    return this.#wtmp.map((l) => l + '\n').join('');
  }

  whoText(): string {
    return [...this.#live].map(([s, r]) => {
      const idle = r.idle ? String(Math.max(0, Math.floor(r.idle() / 1000))) : '-';
      return `${s} ${r.user} ${secs(r.start)} ${r.from} ${idle}\n`;
    }).join('');
  }

  /** Records dropped from the front of wtmp since boot. */
  get dropped(): number { return this.#dropped; }
  get live(): number { return this.#live.size; }
}

function secs(ms: number): number { return Math.floor(ms / 1000); }
