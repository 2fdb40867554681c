// cat [file ...]: copy the files ('-' or none: standard input) to standard output, each
// chunk as it is read, so cat on a console or a pipe passes data on without waiting.

import { command, Out } from '../io.ts';

export const cat = command('cat', '[file ...]', async (c) => {
  await c.eachInput(c.sys.args.slice(1), async (fd) => {
    for (;;) {
      const d = await c.sys.read(fd, Out.CHUNK);
      if (d.length === 0) break;
      await c.sys.write(1, d);
    }
  });
});
