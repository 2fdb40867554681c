// Plan 9 error strings, in one place, and their Linux errno for 9P2000.L (Rlerror).
// The wording is lib9p's and the kernel's, which Linux's v9fs maps to errno itself.

export const Enoent = 'file does not exist';
export const Eperm = 'permission denied';
export const Eexist = 'file exists';
export const Enotempty = 'directory is not empty';
export const Enotdir = 'not a directory';
export const Eisdir = 'is a directory';
export const Enofid = 'unknown fid';
export const Edupfid = 'fid already in use';
export const Ebadoffset = 'bad offset';
export const Ebadcount = 'bad count';
export const Eopen = 'fid already open';
export const Enotopen = 'fid not open';
export const Ewalkopen = 'cannot walk an open fid';
export const Ebadmode = 'bad open mode';
export const Enotsup = 'operation not supported';
export const Etoolong = 'file name too long';
export const Ebadname = 'bad character in file name';
export const Einterrupted = 'interrupted';
export const Einuse = 'file in use';
export const Erdonly = 'read-only file system';
export const Eio = 'i/o error';
export const Einval = 'invalid argument';
export const Exdev = 'cross-device link';
export const Enodata = 'no data available';
export const Enospace = 'no space left on device';
export const Etoobig = 'file too large';
export const Enoauth = 'authentication not required';
export const Ebadattach = 'unknown specifier in attach';
export const Eloop = 'too many levels of symbolic links';
export const Etags = 'too many requests in flight';
export const Efids = 'too many fids';
export const Ebadwstat = 'wstat can\'t change that';
export const Edirchange = 'cannot convert between files and directories';
export const Enotversion = 'version not negotiated';
export const Eauthfid = 'fid is an auth fid';
export const Eflushed = 'request flushed';

export const Errno = {
  EPERM: 1, ENOENT: 2, EINTR: 4, EIO: 5, EBADF: 9, EAGAIN: 11, ENOMEM: 12, EACCES: 13, EBUSY: 16, EEXIST: 17,
  EXDEV: 18, ENOTDIR: 20, EISDIR: 21, EINVAL: 22, EFBIG: 27, ENOSPC: 28, EROFS: 30, ERANGE: 34,
  ENAMETOOLONG: 36, ENOSYS: 38, ENOTEMPTY: 39, ELOOP: 40, ENODATA: 61, EPROTO: 71, EOPNOTSUPP: 95,
} as const;

const TO_ERRNO: Record<string, number> = {
  [Enoent]: Errno.ENOENT, 'file not found': Errno.ENOENT, 'no such file or directory': Errno.ENOENT,
  [Eperm]: Errno.EACCES, 'operation not permitted': Errno.EPERM,
  [Eexist]: Errno.EEXIST, 'file already exists': Errno.EEXIST,
  [Enotempty]: Errno.ENOTEMPTY, [Enotdir]: Errno.ENOTDIR, [Eisdir]: Errno.EISDIR,
  [Enofid]: Errno.EBADF, [Edupfid]: Errno.EBADF, [Eopen]: Errno.EBADF, [Enotopen]: Errno.EBADF, [Ewalkopen]: Errno.EBADF,
  [Ebadoffset]: Errno.EINVAL, [Ebadcount]: Errno.EINVAL, [Ebadmode]: Errno.EINVAL, [Einval]: Errno.EINVAL,
  [Enotsup]: Errno.EOPNOTSUPP, [Etoolong]: Errno.ENAMETOOLONG, [Ebadname]: Errno.EINVAL,
  [Einterrupted]: Errno.EINTR, [Eflushed]: Errno.EINTR, [Einuse]: Errno.EBUSY, [Erdonly]: Errno.EROFS, [Eio]: Errno.EIO,
  [Exdev]: Errno.EXDEV, [Enodata]: Errno.ENODATA, [Enospace]: Errno.ENOSPC, [Etoobig]: Errno.EFBIG,
  [Eloop]: Errno.ELOOP, [Etags]: Errno.EAGAIN, [Efids]: Errno.ENOMEM, [Ebadwstat]: Errno.EPERM, [Edirchange]: Errno.EPERM,
  [Enoauth]: Errno.EOPNOTSUPP, [Ebadattach]: Errno.ENOENT, [Enotversion]: Errno.EPROTO, [Eauthfid]: Errno.EBADF,
};

const FROM_ERRNO: Record<number, string> = {
  [Errno.EPERM]: 'operation not permitted', [Errno.ENOENT]: Enoent, [Errno.EINTR]: Einterrupted, [Errno.EIO]: Eio,
  [Errno.EBADF]: Enofid, [Errno.EAGAIN]: 'resource temporarily unavailable', [Errno.ENOMEM]: 'out of memory',
  [Errno.EACCES]: Eperm, [Errno.EBUSY]: Einuse, [Errno.EEXIST]: Eexist, [Errno.EXDEV]: Exdev, [Errno.ENOTDIR]: Enotdir,
  [Errno.EISDIR]: Eisdir, [Errno.EINVAL]: Einval, [Errno.EFBIG]: Etoobig, [Errno.ENOSPC]: Enospace, [Errno.EROFS]: Erdonly,
  [Errno.ERANGE]: 'result out of range', [Errno.ENAMETOOLONG]: Etoolong, [Errno.ENOSYS]: 'function not implemented',
  [Errno.ENOTEMPTY]: Enotempty, [Errno.ELOOP]: Eloop, [Errno.ENODATA]: Enodata, [Errno.EPROTO]: 'protocol error',
  [Errno.EOPNOTSUPP]: Enotsup,
};

/** errno for a Plan 9 error string; unknown strings become EIO (never a silent success). */
export function errnoOf(ename: string): number {
  return TO_ERRNO[ename] ?? TO_ERRNO[ename.toLowerCase()] ?? Errno.EIO;
}

/** Plan 9 error string for an Rlerror errno. */
export function enameOf(ecode: number): string {
  return FROM_ERRNO[ecode] ?? `errno ${ecode}`;
}

/** An error carrying a Plan 9 error string; handlers may also throw plain Error(ename). */
export class P9Error extends Error {
  constructor(ename: string) { super(ename); this.name = 'P9Error'; }
}

/**
 * An error that is an answer, not a bug (`file does not exist` from a walk): made without a
 * stack trace, which costs more than the rest of a failed walk. The limit is V8's, put back
 * at once.
 */
export function p9error(msg: string): P9Error {
  const lim = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try { return new P9Error(msg); } finally { Error.stackTraceLimit = lim; }
}

/** The Plan 9 string of anything a handler threw. */
export function errorString(e: unknown): string {
  if (e instanceof Error) return e.message || Eio;
  if (typeof e === 'string') return e;
  return Eio;
}
