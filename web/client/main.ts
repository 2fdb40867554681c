// The console page: an xterm.js terminal on one WebSocket to the node (the only DOM code in
// Cohesix). Keys and pastes go out as typed; the node's output comes back; a resize of the
// window refits the terminal and tells the node its size. A socket that drops reconnects with
// the session's resume key, so the shell (and what it is running) survives a network blip.

import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import type { NodeMsg, PageMsg } from '../protocol.ts';

/** The page: one terminal, one socket at a time (state lives here, not in the module). */
function start(): void {
  const PASTE_PIECE = 1 << 16;

const el = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

  const term = new Terminal({ convertEol: true, cursorBlink: true, scrollback: 5000, fontFamily: 'DejaVu Sans Mono, monospace', fontSize: 14 });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(el('term'));
  fit.fit();

  const token = new URLSearchParams(location.search).get('token') ?? '';
  // The token is in a cookie now; keep it out of the address bar and the history.
  if (token) history.replaceState(null, '', location.pathname);

  let ws: WebSocket | undefined;
  let resume = '';
  let ended = false;
  let retry = 0;
  let watching: { path: string; ms: number } | undefined;

  const send = (m: PageMsg): void => { if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(m)); };
  const setLink = (text: string, down: boolean): void => { const l = el('link'); l.textContent = text; l.classList.toggle('down', down); };

  function onMessage(m: NodeMsg): void {
    switch (m.t) {
      case 'hello':
        el('node').textContent = m.node;
        el('role').textContent = m.role;
        el('session').textContent = m.session;
        document.title = `${m.node}: ${m.session} (${m.role})`;
        resume = m.resume;
        retry = 0;
        setLink('connected', false);
        send({ t: 'resize', cols: term.cols, rows: term.rows });
        if (watching) send({ t: 'watch', ...watching });
        return;
      case 'out': term.write(m.d); return;
      case 'status': {
        const pre = el('watch-text');
        pre.textContent = m.error !== undefined ? `${m.path}: ${m.error}` : m.text ?? '';
        pre.classList.toggle('error', m.error !== undefined);
        return;
      }
      case 'bye':
        ended = true;
        setLink(`ended: ${m.why}`, true);
        term.write(`\r\n[session ended: ${m.why}]\r\n`);
        return;
    }
  }

  function connect(): void {
    const q = new URLSearchParams();
    if (resume) q.set('resume', resume);
    const s = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?${q}`);
    ws = s;
    s.onmessage = (e) => { if (typeof e.data === 'string') onMessage(JSON.parse(e.data) as NodeMsg); };
    s.onclose = (e) => {
      if (ws !== s) return;
      ws = undefined;
      if (ended || e.code === 1000) { if (!ended) setLink('closed', true); return; }
      if (e.code === 1006 && resume === '' && retry > 2) { setLink('cannot connect (token?)', true); return; }
      // Dropped: come back with the resume key, backing off up to 5 s.
      const wait = Math.min(5000, 250 * 2 ** retry++);
      setLink(`reconnecting in ${(wait / 1000).toFixed(1)} s`, true);
      setTimeout(connect, wait);
    };
  }

  // A paste goes out in pieces well under the server's frame limit (a frame over it ends the session).
  term.onData((d) => { for (let i = 0; i < d.length; i += PASTE_PIECE) send({ t: 'in', d: d.slice(i, i + PASTE_PIECE) }); });
  term.onResize(({ cols, rows }) => send({ t: 'resize', cols, rows }));
  new ResizeObserver(() => fit.fit()).observe(el('term'));
  addEventListener('pagehide', () => ws?.close(1000, 'page closed'));

  el<HTMLFormElement>('watch').addEventListener('submit', (e) => {
    e.preventDefault();
    const p = el<HTMLInputElement>('watch-path').value.trim();
    watching = { path: p, ms: Number(el<HTMLSelectElement>('watch-every').value) };
    send({ t: 'watch', ...watching });
  });
  el('unwatch').addEventListener('click', () => { watching = undefined; send({ t: 'unwatch' }); el('watch-text').textContent = ''; });

  // For tests and the curious: the terminal and the socket.
  Object.assign(window, { cohesix: { term, get socket() { return ws; } } });
  connect();
  term.focus();
}

start();
