#!/usr/bin/env node
import { loadConfig } from '@srs/config';
import { createContext } from './context';
import { buildProgram } from './program';

async function main(): Promise<void> {
  const context = createContext(loadConfig(), (line) => process.stdout.write(`${line}\n`));
  try {
    await buildProgram(context).parseAsync(process.argv);
  } finally {
    await context.close();
  }
}

main().catch((err) => {
  process.stderr.write(`srs: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
