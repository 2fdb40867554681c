// The web console's messages over its one WebSocket: JSON text frames, one message each.
// Shared by the server (web/server.ts) and the page (web/client/), so it touches neither
// the DOM nor Node.
//
//   page -> node   in       keystrokes or a paste, as typed (UTF-8 text)
//                  resize   the terminal's size in cells; the console's consctl reports it
//                  watch    read path every ms milliseconds for the status panel (none: stop)
//   node -> page   hello    node name, role, session id and the resume key (reconnect with it)
//                  out      bytes written to the console, as text
//                  status   the watched file's text, or the error reading it
//                  bye      the session ended: rc's status, or why it was ended

export const MAX_FRAME = 1 << 20; // a paste larger than this is refused (the frame, then the session)
export const MAX_WATCH_TEXT = 4096; // the status panel shows at most this much of a file

export type PageMsg =
  | { t: 'in'; d: string }
  | { t: 'resize'; cols: number; rows: number }
  | { t: 'watch'; path: string; ms: number }
  | { t: 'unwatch' };

export type NodeMsg =
  | { t: 'hello'; node: string; role: string; session: string; resume: string }
  | { t: 'out'; d: string }
  | { t: 'status'; path: string; text?: string; error?: string }
  | { t: 'bye'; why: string };

const isInt = (x: unknown, lo: number, hi: number): x is number => typeof x === 'number' && Number.isInteger(x) && x >= lo && x <= hi;

/** Decode one frame from the page; throws an error naming what is wrong. */
export function parsePageMsg(text: string): PageMsg {
  let v: unknown;
  try { v = JSON.parse(text); } catch { throw new Error('web: frame is not JSON'); }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('web: frame is not a JSON object');
  const m = v as Record<string, unknown>;
  switch (m.t) {
    case 'in':
      if (typeof m.d !== 'string') throw new Error("web: 'in' needs a string d");
      return { t: 'in', d: m.d };
    case 'resize':
      if (!isInt(m.cols, 1, 1000) || !isInt(m.rows, 1, 1000)) throw new Error("web: 'resize' needs cols and rows from 1 to 1000");
      return { t: 'resize', cols: m.cols, rows: m.rows };
    case 'watch':
      if (typeof m.path !== 'string' || !m.path.startsWith('/')) throw new Error("web: 'watch' needs an absolute path");
      if (!isInt(m.ms, 250, 3_600_000)) throw new Error("web: 'watch' needs ms from 250 to 3600000");
      return { t: 'watch', path: m.path, ms: m.ms };
    case 'unwatch':
      return { t: 'unwatch' };
    default:
      throw new Error(`web: unknown message type ${JSON.stringify(m.t)}`);
  }
}
