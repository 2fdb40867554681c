// The kernel's devices, registered in one call at boot:
//
//   #c cons (per console)   #e env (per group)   #| pipe   #b builtin programs
//   #s posted sessions      #r a ramfs (for /tmp)    #d dup: /fd/N names fd N
//   #adm login records (/adm/wtmp, /adm/who)
//
//   const k = new Kernel();
//   const { cons } = registerDevices(k);
//   cons.console('console').onOutput((b) => process.stdout.write(b));

import { Ramfs } from '../../fs/server/ramfs.ts';
import type { Kernel } from '../kernel.ts';
import { BinDevice } from './bin.ts';
import { ConsDevice } from './cons.ts';
import type { ConsDeviceOptions } from './cons.ts';
import { admTree } from './adm.ts';
import { DupDevice } from './dup.ts';
import { EnvDevice } from './env.ts';
import { PipeDevice } from './pipe.ts';
import type { PipeDeviceOptions } from './pipe.ts';
import { SrvDevice } from './srv.ts';

export { BinDevice, builtinText } from './bin.ts';
export { ConsDevice, Console, consoleId } from './cons.ts';
export type { ConsDeviceOptions, ConsoleOptions, ConsoleSize } from './cons.ts';
export { EnvDevice, MAXENVVAL } from './env.ts';
export { PipeDevice, Pipe, Epipe, PIPE_LIMIT } from './pipe.ts';
export { SrvDevice, Esrvcreate, srvText } from './srv.ts';
export { PerAttach } from './perattach.ts';
export type { ServerFactory, PerAttachOptions } from './perattach.ts';

export interface DeviceOptions {
  cons?: ConsDeviceOptions;
  pipe?: PipeDeviceOptions;
  /** Owner of the /tmp ramfs root (default 'none'; its root is mode 0777). */
  tmpOwner?: string;
}

export interface Devices {
  cons: ConsDevice;
  env: EnvDevice;
  pipe: PipeDevice;
  bin: BinDevice;
  srv: SrvDevice;
  tmp: Ramfs;
  dup: DupDevice;
}

/** Register #c #e #| #b #s #r #d #adm with the kernel; returns the objects behind them. */
export function registerDevices(kernel: Kernel, opts: DeviceOptions = {}): Devices {
  const d: Devices = {
    cons: new ConsDevice(kernel, opts.cons),
    env: new EnvDevice(kernel),
    pipe: new PipeDevice(opts.pipe),
    bin: new BinDevice(kernel),
    srv: new SrvDevice(kernel),
    tmp: new Ramfs({ owner: opts.tmpOwner ?? 'none' }),
    dup: new DupDevice(kernel),
  };
  kernel.addDevice('#c', d.cons.fs);
  kernel.addDevice('#e', d.env);
  kernel.addDevice('#|', d.pipe);
  kernel.addDevice('#b', d.bin);
  kernel.addDevice('#s', d.srv);
  kernel.addDevice('#r', d.tmp);
  kernel.addDevice('#d', d.dup);
  kernel.addDevice('#adm', admTree(kernel.logins));
  return d;
}
