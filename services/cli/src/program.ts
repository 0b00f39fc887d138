import { Command } from 'commander';
import { registerClassifyCommand } from './commands/classify';
import { registerDatabaseCommands } from './commands/database';
import { registerDemoCommand } from './commands/demo';
import { registerKeyCommands } from './commands/keys';
import { registerModelCommands } from './commands/model';
import { registerOperatorCommands } from './commands/operators';
import { registerPeerCommands } from './commands/peers';
import { registerRegulatorCommands } from './commands/regulators';
import type { CliContext } from './context';

export function buildProgram(context: CliContext): Command {
  const program = new Command('srs').description('administer an Open Spam Reporting Service deployment');
  registerDatabaseCommands(program, context);
  registerOperatorCommands(program, context);
  registerRegulatorCommands(program, context);
  registerKeyCommands(program, context);
  registerPeerCommands(program, context);
  registerClassifyCommand(program, context);
  registerModelCommands(program, context);
  registerDemoCommand(program, context);
  return program;
}
