// sha1sum [-c] [file ...]: SHA-1 checksums, in GNU's form (see digest.ts).

import { digestCommand } from './digest.ts';

export const sha1sum = digestCommand('sha1sum', 'sha1', 40);
