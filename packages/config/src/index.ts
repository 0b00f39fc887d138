export { loadConfig, ConfigError, type Config, type SmppConfig } from './config';
export { envSchema, type Env } from './schema';
export {
  routesSchema,
  languageSchema,
  type Routes,
  type OperatorProfile,
  type KannelConnection,
  type TwilioConnection,
  type WebhookConnection,
} from './routing';
export { operatorProfile } from './operator-profile';
