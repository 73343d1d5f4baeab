// Everything a command touches outside itself goes through CliIo, so tests can run a command
// in-process with fake streams and files.

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads a file as raw bytes; "-" means standard input. Throws an Error with a readable message. */
  readFile: (path: string) => Promise<Buffer>;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {}

export type Command = {
  name: string;
  summary: string;
  usage: string;
  run: (args: string[], io: CliIo) => Promise<number>;
};
