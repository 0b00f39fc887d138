import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { scrubDeep, scrubString } from './scrub';

export type { Logger };

/** Fields that carry a subscriber's number or message by design; never written. */
export const REDACTED_PATHS = [
  'msisdn',
  'from',
  'to',
  'reporter',
  'sealedTo',
  '*.msisdn',
  '*.from',
  '*.to',
  '*.reporter',
  '*.sealedTo',
  'req.query',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-kannel-from"]',
  'req.headers["x-kannel-to"]',
];

export interface LoggerSettings {
  name: string;
  level: string;
  destination?: DestinationStream;
}

export function createLogger({ name, level, destination }: LoggerSettings): Logger {
  const options: LoggerOptions = {
    name,
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: serializeError, error: serializeError },
    formatters: { log: (object) => scrubDeep(object) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? scrubString(a) : a)) as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

function serializeError(err: unknown): unknown {
  const serialized = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  return scrubDeep(serialized);
}
