// A Link carries whole 9P messages between two peers. Byte transports (TCP, unix, serial,
// WebSocket) frame and encode; the in-process pair hands decoded Fcalls across unchanged.

import type { Dialect } from '../9p/constants.ts';
import type { Fcall } from '../9p/fcall.ts';
import type { ProtocolError } from '../9p/wire.ts';

export interface LinkHandlers {
  message(f: Fcall): void;
  /** A frame that could not be decoded but whose boundary was known: the link stays usable. */
  badFrame(err: ProtocolError): void;
  /** The peer went away or the link was closed; err says why when it was not a clean close. */
  close(err?: Error): void;
}

export interface Link {
  /** Begin delivering messages. Called once. */
  start(h: LinkHandlers): void;
  send(f: Fcall): void;
  /** Byte links decode Tattach/Tauth differently under 9P2000.L; set after Tversion. */
  setDialect(d: Dialect): void;
  /** Frames larger than msize are refused; set after Tversion. */
  setMsize(n: number): void;
  close(): void;
  /** A name for logs: "tcp!127.0.0.1!40312", "pipe", ... */
  readonly remote: string;
  /**
   * Bytes queued for the peer and not yet taken; servers stop reading new requests while it is high.
   * In-process links report 0.
   */
  readonly backlog: number;
}
