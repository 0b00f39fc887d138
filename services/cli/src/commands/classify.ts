import { createInterface } from 'node:readline';
import { classify } from '@srs/classifier';
import { analyseMessage, senderIndicator } from '@srs/core';
import type { Command } from 'commander';
import type { CliContext } from '../context';

/**
 * One message per line on stdin, one JSON object per line on stdout: what the
 * worker would make of it, without storing anything. Needs no database.
 */
export function registerClassifyCommand(program: Command, context: CliContext, input: NodeJS.ReadableStream = process.stdin): void {
  program
    .command('classify')
    .description('classify messages read one per line from stdin; print one JSON object per line')
    .option('--country <CC>', 'default region for national phone numbers', context.config.operator.country)
    .option('--sender <sender>', 'the reported sender, added as an indicator (kind:value, e.g. alphanumeric:BANK)')
    .action(async (options: { country: string; sender?: string }) => {
      const sender = options.sender ? parseSenderOption(options.sender) : undefined;
      const lines = createInterface({ input, crlfDelay: Infinity });
      for await (const line of lines) {
        const analysis = analyseMessage(line, { defaultCountry: options.country.toUpperCase() }, classify);
        const { spam, category, confidence, language } = analysis.classification;
        const indicators = [...analysis.indicators, ...(sender ? [sender] : [])].map((i) => ({
          type: i.type,
          value: i.value,
          ...(i.ascii ? { ascii: i.ascii } : {}),
          ...(i.shortener ? { shortener: true } : {}),
        }));
        context.print(JSON.stringify({ spam, category, confidence: Math.round(confidence * 1000) / 1000, language, indicators }));
      }
    });
}

function parseSenderOption(value: string) {
  const [kind, ...rest] = value.split(':');
  const sender = rest.join(':');
  if ((kind !== 'msisdn' && kind !== 'short_code' && kind !== 'alphanumeric') || !sender) {
    throw new Error('--sender is kind:value with kind msisdn, short_code or alphanumeric');
  }
  return senderIndicator(kind, kind === 'alphanumeric' ? sender.toUpperCase() : sender);
}
