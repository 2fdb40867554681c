// basename name [suffix]: the last element of name, without suffix if it ends with it (and is
// more than the suffix). Trailing slashes are ignored; '/' stays '/', as GNU and POSIX say.

import { UsageError } from '../flags.ts';
import { command } from '../io.ts';

export function basename(name: string, suffix = ''): string {
  let s = name.replace(/\/+$/, '');
  if (s === '') return name === '' ? '' : '/';
  s = s.slice(s.lastIndexOf('/') + 1);
  if (suffix && s !== suffix && s.endsWith(suffix)) s = s.slice(0, -suffix.length);
  return s;
}

export const basenameCmd = command('basename', 'name [suffix]', async (c) => {
  let args = c.sys.args.slice(1);
  if (args[0] === '--') args = args.slice(1);
  if (args.length < 1 || args.length > 2) throw new UsageError();
  await c.out.text(basename(args[0]!, args[1]) + '\n');
});
