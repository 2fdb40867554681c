// Every optimization pass by name (the manager's table; out-of-ssa is the backends' own).

import { copyProp } from './copyprop.ts';
import { dce } from './dce.ts';
import { globalDce } from './globaldce.ts';
import { inline, inlineSelf } from './inline.ts';
import { licm } from './licm.ts';
import { mem2reg } from './mem2reg.ts';
import { nopRemoval } from './nop.ts';
import type { Pass } from './pass.ts';
import { sccp } from './sccp.ts';
import { simplifyCfg } from './simplifycfg.ts';
import { tailrec } from './tailrec.ts';

export const PASSES: readonly Pass[] = [nopRemoval, dce, sccp, mem2reg, copyProp, simplifyCfg, inline, tailrec, inlineSelf, licm, globalDce];
