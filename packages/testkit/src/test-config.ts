import { loadConfig, type Config } from '@srs/config';
import { uniqueSuffix } from './ids';

/** Config as a service would load it, with a queue prefix of its own so test files never share jobs. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    QUEUE_PREFIX: `srs-test-${uniqueSuffix()}`,
    ...overrides,
  });
}
