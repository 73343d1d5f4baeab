import type { Command } from '../io';
import { EXIT_USAGE } from '../io';

// Placeholder until the command is written; it says so plainly instead of pretending.
export const command: Command = {
  name: 'test',
  summary: '(not available yet)',
  usage: 'nsp test',
  async run(_args, io) {
    io.stderr('nsp test: not available in this build yet\n');
    return EXIT_USAGE;
  },
};
