/**
 * docs/CONFIGURATION.md from the zod schema's descriptions, so the page and the
 * parser never disagree (`npm run -s config:table` writes it; a test checks it).
 */
import path from 'node:path';
import { envSchema } from '../../packages/config/src/schema';

export const CONFIGURATION_FILE = path.join(__dirname, '..', '..', 'docs', 'CONFIGURATION.md');

function defaultOf(field: unknown): string {
  const def = (field as { _zod: { def: { type: string; defaultValue?: unknown; innerType?: unknown; in?: unknown } } })._zod.def;
  if (def.type === 'default') return String(def.defaultValue);
  if (def.innerType) return defaultOf(def.innerType);
  if (def.in) return defaultOf(def.in);
  return '';
}

export function renderConfigurationDoc(): string {
  const rows = Object.entries(envSchema.shape).map(([name, field]) => {
    const value = defaultOf(field);
    return `| \`${name}\` | ${value === '' ? '(unset)' : `\`${value}\``} | ${field.description ?? ''} |`;
  });
  return [
    '# Configuration',
    '',
    'Generated from the zod schema in `packages/config/src/schema.ts` by `npm run -s config:table`; do not edit by hand.',
    '',
    'Every service reads the same environment variables, parsed once at start-up (`packages/config`); a bad value stops',
    'the service at once with the variable named. The defaults work on a developer machine beside the Kannel harness;',
    '`NODE_ENV=production` refuses the development secrets.',
    '',
    '| Variable | Default | Meaning |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
