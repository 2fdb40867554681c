// lookman word ...: the manual pages whose text holds every word (ignoring case), one line
// each as Plan 9's lookman prints them, a command to read the page and the page's name:
//
//   man 1 ls # ls(1)
//
// Words are matched as substrings, so `namespace` finds pages about namespaces too. Status
// 'no match' when no page has them all.

import { UsageError } from '../flags.ts';
import { command } from '../io.ts';
import { pageText, pages } from './man.ts';

export const lookman = command('lookman', 'word ...', async (c) => {
  const words = c.sys.args.slice(1).map((w) => w.toLowerCase()).filter((w) => w !== '');
  if (words.length === 0) throw new UsageError();
  let found = false;
  for (const p of await pages(c.sys)) {
    const text = (await pageText(c.sys, p)).toLowerCase();
    if (!words.every((w) => text.includes(w))) continue;
    found = true;
    await c.out.text(`man ${p.section} ${p.name} # ${p.name}(${p.section})\n`);
  }
  return found ? '' : 'no match';
});
