/** Prints the README's configuration table from the zod schema, so the two never disagree. */
import { envSchema } from '../packages/config/src/schema';

function defaultOf(field: unknown): string {
  const def = (field as { _zod: { def: { type: string; defaultValue?: unknown; innerType?: unknown; in?: unknown } } })._zod.def;
  if (def.type === 'default') return String(def.defaultValue);
  if (def.innerType) return defaultOf(def.innerType);
  if (def.in) return defaultOf(def.in);
  return '';
}

const rows = Object.entries(envSchema.shape).map(([name, field]) => {
  const description = field.description ?? '';
  const value = defaultOf(field);
  return `| \`${name}\` | ${value === '' ? '(unset)' : `\`${value}\``} | ${description} |`;
});
process.stdout.write(['| Variable | Default | Meaning |', '|---|---|---|', ...rows].join('\n') + '\n');
