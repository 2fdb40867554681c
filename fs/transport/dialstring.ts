// Plan 9 dial strings: tcp!host!port, unix!/path, and the familiar host:port.

export type DialAddr =
  | { proto: 'tcp'; host: string; port: number }
  | { proto: 'unix'; path: string }
  | { proto: 'ws'; url: string };

export function parseDialString(s: string, defaultPort = 564): DialAddr {
  const bad = (why: string): never => { throw new Error(`bad dial string '${s}': ${why}`); };
  if (s.startsWith('ws://') || s.startsWith('wss://')) return { proto: 'ws', url: s };
  if (s.includes('!')) {
    const parts = s.split('!');
    const [proto, a, b] = parts;
    if (proto === 'unix') {
      if (parts.length !== 2 || !a) bad('want unix!/path');
      return { proto: 'unix', path: a! };
    }
    if (proto === 'tcp' || proto === 'net') {
      if (parts.length > 3 || !a) bad('want tcp!host!port');
      return { proto: 'tcp', host: a === '*' ? '0.0.0.0' : a!, port: portOf(b ?? String(defaultPort), bad) };
    }
    return bad(`unknown network '${proto}' (want tcp, unix)`);
  }
  if (s.startsWith('/')) return { proto: 'unix', path: s };
  const i = s.lastIndexOf(':');
  if (i < 0) return { proto: 'tcp', host: s || bad('empty'), port: defaultPort };
  let host = s.slice(0, i);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { proto: 'tcp', host: host || '127.0.0.1', port: portOf(s.slice(i + 1), bad) };
}

function portOf(p: string, bad: (why: string) => never): number {
  if (p === '9fs') return 564;
  if (!/^\d+$/.test(p)) return bad(`port '${p}' is not a number`);
  const n = Number(p);
  if (n > 65535) bad(`port ${n} out of range`);
  return n;
}

export function formatDialAddr(a: DialAddr): string {
  if (a.proto === 'tcp') return `tcp!${a.host}!${a.port}`;
  if (a.proto === 'unix') return `unix!${a.path}`;
  return a.url;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
