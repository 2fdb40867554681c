// A small getopt for the CLI: --flag, --opt value, --opt=value, and positionals.

export interface ArgSpec {
  /** Options that take a value. */
  values?: string[];
  /** Options that are switches. */
  flags?: string[];
}

export interface Parsed {
  opts: Map<string, string>;
  flags: Set<string>;
  rest: string[];
}

export function parseArgs(args: string[], spec: ArgSpec): Parsed {
  const values = new Set(spec.values ?? []), flags = new Set(spec.flags ?? []);
  const out: Parsed = { opts: new Map(), flags: new Set(), rest: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') { out.rest.push(...args.slice(i + 1)); break; }
    if (!a.startsWith('-') || a === '-') { out.rest.push(a); continue; }
    const eq = a.indexOf('=');
    const name = a.replace(/^--?/, '').slice(0, eq < 0 ? undefined : eq - (a.startsWith('--') ? 2 : 1));
    if (flags.has(name) && eq < 0) { out.flags.add(name); continue; }
    if (values.has(name)) {
      const v = eq >= 0 ? a.slice(eq + 1) : args[++i];
      if (v === undefined) throw new Error(`option --${name} needs a value`);
      out.opts.set(name, v);
      continue;
    }
    throw new Error(`unknown option ${a}`);
  }
  return out;
}
