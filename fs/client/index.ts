// The 9P client: a session (Client), a path-level file API (Fsys), and client fids (CFid).

export { Client, NONUNAME, MIN_MSIZE } from './client.ts';
export type { ConnectOptions, RpcOptions, TRequest, TType, ReplyTo } from './client.ts';
export { Fsys } from './fsys.ts';
export type { FsysOptions, ReaddirOptions } from './fsys.ts';
export { CFid, WINDOW, Eshortwrite } from './cfid.ts';
export { WalkError, splitPath } from './walk.ts';
export { attrToDir, direntToDir, unpackDirents, lflags } from './dialect.ts';
export type { DirChanges } from './dialect.ts';
