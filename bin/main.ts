// cohesix: one CLI, one subcommand per concern; `cohesix help` and `cohesix CMD --help`.

import { serveCommand } from './serve.ts';
import { bootCommand } from './boot.ts';
import { rcCommand } from './rc.ts';
import { webCommand } from './web.ts';
import { ccCommand } from './cc.ts';

interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

const commands: Record<string, Command> = {
  serve: serveCommand,
  boot: bootCommand,
  rc: rcCommand,
  web: webCommand,
  cc: ccCommand,
};

function usage(): string {
  const lines = ['usage: cohesix <command> [args]', '', 'commands:'];
  for (const [name, c] of Object.entries(commands)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  lines.push('', 'cohesix <command> --help for each command');
  return lines.join('\n') + '\n';
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) return bootCommand.run([]); // plain `cohesix` boots a QueenPrimary node with an rc prompt
  if (name === 'help' || name === '--help' || name === '-h') { process.stdout.write(usage()); return 0; }
  const c = commands[name];
  if (!c) { process.stderr.write(`cohesix: unknown command '${name}'\n` + usage()); return 2; }
  return c.run(rest);
}

process.exitCode = await main(process.argv.slice(2));
