// Rapier, loaded once per process. Its WebAssembly instance is process-wide state of the
// library itself: a second RAPIER.init() swaps the instance under every live World (they
// then read garbage), so every Sim in the process shares one init. This memo is the one
// module-level cell in srv/sim; it holds no simulation state, so many nodes still share a
// process safely.

import RAPIER from '@dimforge/rapier3d-deterministic-compat';

export type Rapier = typeof RAPIER;

const loaded = new Map<'rapier', Promise<Rapier>>();

/** The initialised Rapier module (the first call pays ~50 ms to compile the wasm). */
export function rapier(): Promise<Rapier> {
  let p = loaded.get('rapier');
  if (!p) {
    p = RAPIER.init().then(() => RAPIER);
    loaded.set('rapier', p);
  }
  return p;
}
