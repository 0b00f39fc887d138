import { Writable } from 'node:stream';
import { createLogger } from './logger';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ name: 'test', level: 'debug', destination }), lines };
}

describe('logger', () => {
  it('removes fields that hold a number by design', () => {
    const { logger, lines } = capture();
    logger.info({ from: '447700900123', msisdn: '+447700900123', job: { to: '447700900123' } }, 'mo');
    const out = lines.join('');
    expect(out).not.toMatch(/7700900123/);
    expect(JSON.parse(out)).toMatchObject({ from: '[redacted]', msisdn: '[redacted]', job: { to: '[redacted]' } });
  });

  it('masks numbers that turn up in messages, nested values and errors', () => {
    const { logger, lines } = capture();
    logger.warn('sending to 447700900123 failed');
    logger.info({ detail: { url: '/mo?from=447700900123&text=x' } }, 'request');
    logger.error({ err: new Error('bad number +447700900123') }, 'oops');
    const out = lines.join('');
    expect(out).not.toMatch(/7700900123/);
    expect(out).toContain('[msisdn]');
  });

  it('leaves ordinary values readable', () => {
    const { logger, lines } = capture();
    logger.info({ reportId: '42', jobId: '1234', requestId: '6f1c2a7e-1b2c-4d5e-8f90-123456789012' }, 'stored');
    expect(JSON.parse(lines[0]!)).toMatchObject({ reportId: '42', jobId: '1234', requestId: '6f1c2a7e-1b2c-4d5e-8f90-123456789012' });
  });
});
