// sha256sum [-c] [file ...]: SHA-256 checksums, in GNU's form (see digest.ts).

import { digestCommand } from './digest.ts';

export const sha256sum = digestCommand('sha256sum', 'sha256', 64);
