// The services a node started from the CLI offers its role (kernel/roles/*.role name them):
// each a 9P file server from srv/. Roles that do not list one never see it.

import { ServiceRegistry } from '../kernel/services.ts';
import { LogService } from '../srv/log/log.ts';
import { simService } from '../srv/sim/sim.ts';

export function nodeServices(): ServiceRegistry {
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
    .register('sim', simService());
}
