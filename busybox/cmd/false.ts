// false: do nothing, unsuccessfully; the status is 'false', as rc's ! gives.

import type { Program } from '../../kernel/kernel.ts';

export const false_: Program = () => 'false';
