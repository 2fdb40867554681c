// true: do nothing, successfully.

import type { Program } from '../../kernel/kernel.ts';

export const true_: Program = () => '';
