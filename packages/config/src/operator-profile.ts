import type { Config } from './config';
import type { OperatorProfile } from './routing';

/** The operator's country, language and short code: from the routes, or the deployment defaults. */
export function operatorProfile(config: Pick<Config, 'routing' | 'operator'>, operatorId: string): OperatorProfile {
  return (
    config.routing.operators[operatorId] ?? {
      country: config.operator.country,
      language: config.operator.language,
      shortCode: config.operator.shortCode,
    }
  );
}
