// Every optimization pass by name (the manager's table; out-of-ssa is the backends' own).

import type { Pass } from './pass.ts';

export const PASSES: readonly Pass[] = [];
