import { z } from 'zod';
import { SHARING_SCOPES, type Scope } from '../tenancy/tenant-auth';

/** The longest a key may live when an operator makes it: two years, so a forgotten key still ends. */
export const MAX_EXPIRES_IN_DAYS = 730;

/**
 * Scopes that exist but are not an operator's to give here, each with the
 * reason the answer tells. The intake's are kept to the CLI because `attest`
 * makes every number an app key sends count as a distinct reporter, which the
 * deployment's administrator grants, not the operator itself.
 */
const REFUSED_SCOPES: Record<string, string> = {
  report:
    'report and attest are scopes of the intake’s app keys, which the deployment’s administrator makes with the CLI (srs keys create)',
  attest:
    'report and attest are scopes of the intake’s app keys, which the deployment’s administrator makes with the CLI (srs keys create)',
  stats: 'stats belongs to regulators’ keys, never to an operator’s',
};

/** Why a list of scopes cannot be given, or undefined when it can; every refusal names `scopes` as a whole. */
function scopesProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return undefined;
  for (const scope of value) {
    if (typeof scope !== 'string') return 'each scope is a string';
    const refused = REFUSED_SCOPES[scope];
    if (refused) return `${scope} cannot be given here: ${refused}`;
    if (!SHARING_SCOPES.includes(scope as Scope)) return `unknown scope ${JSON.stringify(scope)}; one of ${SHARING_SCOPES.join(', ')}`;
  }
  const twice = value.find((scope, i) => value.indexOf(scope) !== i) as string | undefined;
  return twice === undefined ? undefined : `${twice} is given twice`;
}

/** POST /v1/keys */
export const createKeyBody = z
  .object({
    name: z.string().trim().min(1).max(100).meta({ description: 'what the key is for, shown in the list', example: 'SMS firewall feed' }),
    scopes: z
      .preprocess(
        (value, ctx) => {
          const problem = scopesProblem(value);
          if (problem) ctx.addIssue({ code: 'custom', message: problem, input: value });
          return value;
        },
        z.array(z.enum(SHARING_SCOPES)).min(1).max(SHARING_SCOPES.length),
      )
      .meta({
        description:
          'what the key may do, each at most once; `report` and `attest` (the intake’s app keys) and `stats` (regulators’) are refused',
        example: ['read'],
      }),
    expires_in_days: z
      .number()
      .int()
      .min(1)
      .max(MAX_EXPIRES_IN_DAYS)
      .optional()
      .meta({ description: 'the key stops working this many days from now; without it, it works until revoked' }),
  })
  .strict();
