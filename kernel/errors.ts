// Kernel error strings (Plan 9 wording where Plan 9 has one). The 9P ones live in fs/9p/errors.ts.

export const Ecaprevoked = 'capability revoked';
export const Ecapslot = 'bad capability slot';
export const Ecapgrow = 'capability rights cannot grow';
export const Ebadfd = 'fd out of range or not open';
export const Enocreate = 'mounted directory forbids creation';
export const Enotmounted = 'not mounted';
export const Ebadusefd = 'inappropriate use of fd';
export const Enoproc = 'process does not exist';
export const Eisstream = 'seek on a stream';
export const Ebadarg = 'bad arg in system call';
export const Enoexec = 'exec header invalid';
export const Ehungup = 'i/o on hungup channel';
export const Ekilled = 'killed';
export const Enotallowed = 'command not allowed in role';
