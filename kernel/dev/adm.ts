// #adm: the node's login records (kernel/logins.ts), bound at /adm in every namespace.
//   /adm/wtmp  login and logout lines, oldest first (last reads it)
//   /adm/who   the sessions now open, with idle times (who and finger read it)
// Both are read-only text, made afresh at each read from offset 0.

import { Tree, text } from '../../fs/server/tree.ts';
import type { Logins } from '../logins.ts';

export function admTree(logins: Logins): Tree {
  return new Tree([
    text('wtmp', () => logins.wtmpText()),
    text('who', () => logins.whoText()),
  ], { owner: 'sys' });
}
