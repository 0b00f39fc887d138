import { Command } from 'commander';
import { registerDatabaseCommands } from './commands/database';
import { registerKeyCommands } from './commands/keys';
import { registerOperatorCommands } from './commands/operators';
import type { CliContext } from './context';

export function buildProgram(context: CliContext): Command {
  const program = new Command('srs').description('administer an Open Spam Reporting Service deployment');
  registerDatabaseCommands(program, context);
  registerOperatorCommands(program, context);
  registerKeyCommands(program, context);
  return program;
}
