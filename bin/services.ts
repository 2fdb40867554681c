// The services a node started from the CLI offers its role (kernel/roles/*.role name them):
// each a 9P file server from srv/. Roles that do not list one never see it.

import { ServiceRegistry } from '../kernel/services.ts';
import { LogService } from '../srv/log/log.ts';
import { simService } from '../srv/sim/sim.ts';
import { startCuda } from '../srv/cuda/cuda.ts';
import { probeProviders } from '../srv/cuda/runtime.ts';
import { linearSample } from '../srv/cuda/samples.ts';
import { Sys } from '../kernel/sys.ts';

export function nodeServices(): ServiceRegistry {
  // Which inference providers really load, probed once for all the nodes this registry starts.
  let providers: Promise<string[]> | undefined;
  return new ServiceRegistry()
    .register('log', {
      path: '/log', description: 'the node\'s logs: append-only NAME.log files with rotation (log(4)); the kernel writes queen.log',
      start: (kernel) => {
        const s = new LogService();
        kernel.logSinks.add((line) => s.append('queen.log', line + '\n'));
        s.append('queen.log', `${new Date().toISOString()} boot ${kernel.sysname}\n`);
        return s;
      },
    })
    .register('sim', simService())
    .register('cuda', {
      path: '/srv/cuda', description: 'inference as files on onnxruntime-node (cuda(4))',
      start: async (kernel) => startCuda({
        providers: await (providers ??= probeProviders(linearSample().bytes)),
        // `load NAME PATH` reads PATH in the node's namespace (init's; 9P carries no process).
        readFile: async (path) => {
          const init = [...kernel.procs.values()].find((p) => p.ppid === 0);
          if (!init) throw new Error('file does not exist: the node has no init');
          return new Sys(kernel, init).readFile(path);
        },
      }),
    });
}
