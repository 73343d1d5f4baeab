// `nsp`: the command-line entry. It only dispatches; each command lives in cli/commands/.
import { readFileSync, writeSync } from 'node:fs';
import type { CliIo, Command } from './io';
import { EXIT_USAGE } from './io';
import { command as check } from './commands/check';
import { command as regex } from './commands/regex';
import { command as match } from './commands/match';
import { command as test } from './commands/test';
import { command as replay } from './commands/replay';
import { command as scan } from './commands/scan';

export const COMMANDS: Command[] = [check, regex, match, test, replay, scan];

function help(): string {
  const lines = ['usage: nsp <command> [options]', '', 'commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.name.padEnd(8)} ${c.summary}`);
  lines.push('', "run 'nsp <command> --help' for a command's options");
  return lines.join('\n') + '\n';
}

async function readInput(path: string): Promise<Buffer> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
  // Synchronous: fs/promises is one more built-in module to load at start (see launch.ts), and a
  // command reads its files one after the other anyway.
  return readFileSync(path);
}

let stdoutStream: NodeJS.WritableStream | undefined;
let stdoutClosed = false;

/**
 * Standard output, written directly to its file descriptor: process.stdout on a pipe is a socket,
 * and creating it loads net and the stream modules (a few ms of a whole `nsp check`). A full
 * non-blocking pipe (EAGAIN) hands that output and all that follows to process.stdout, which waits
 * for room. A reader that went away (`nsp check … | head`) ends the output quietly: the exit status
 * still tells the outcome, and there is no stack trace.
 */
function writeStdout(text: string): void {
  if (stdoutClosed) return;
  if (stdoutStream) {
    stdoutStream.write(text);
    return;
  }
  const bytes = Buffer.from(text);
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(1, bytes, done);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EPIPE') {
      stdoutClosed = true;
      return;
    }
    stdoutStream = process.stdout;
    stdoutStream.on('error', () => {
      stdoutClosed = true;
    });
    stdoutStream.write(bytes.subarray(done));
  }
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? io.stdout : io.stderr)(help());
    return name ? 0 : EXIT_USAGE;
  }
  if (name === '--version') {
    io.stdout('nsp 0.1.0\n');
    return 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.stderr(`nsp: unknown command '${name}'\n\n${help()}`);
    return EXIT_USAGE;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    // A command should never get here; if it does, say what happened without a stack trace.
    io.stderr(`nsp ${name}: ${(e as Error)?.message ?? String(e)}\n`);
    return EXIT_USAGE;
  }
}

if (require.main === module) {
  const io: CliIo = {
    stdout: writeStdout,
    stderr: (t) => process.stderr.write(t),
    readFile: readInput,
    env: process.env,
    cwd: process.cwd(),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`nsp: ${(e as Error)?.message ?? String(e)}\n`);
      process.exitCode = EXIT_USAGE;
    },
  );
}
