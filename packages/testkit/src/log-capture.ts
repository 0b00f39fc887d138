import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@srs/logging';

/** A real logger whose output is kept in memory, so tests can assert what a log line holds. */
export function capturingLogger(name = 'test'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ name, level: 'debug', destination }), lines };
}
