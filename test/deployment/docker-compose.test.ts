import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { envSchema } from '../../packages/config/src/schema';

const root = path.resolve(__dirname, '..', '..');
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { command?: string[]; environment?: Record<string, string>; ports?: string[] }>;
};
const known = new Set(Object.keys(envSchema.shape));
const appServices = Object.entries(compose.services).filter(([, s]) => s.command?.some((c) => c.includes('dist/main.js')));

describe('docker-compose.yml', () => {
  it('runs every service that has an entry point', () => {
    const withMain = ['intake', 'worker', 'cli'];
    const commands = appServices.flatMap(([, s]) => s.command ?? []).join(' ');
    for (const name of withMain) expect(commands).toContain(`services/${name}/dist/main.js`);
  });

  it('sets only environment variables the config knows', () => {
    for (const [name, service] of appServices) {
      for (const variable of Object.keys(service.environment ?? {})) {
        expect({ service: name, variable, known: known.has(variable) }).toEqual({ service: name, variable, known: true });
      }
    }
  });

  it('publishes the intake on the port its config listens on', () => {
    const intake = compose.services.intake!;
    const port = intake.environment?.INTAKE_PORT ?? '3000';
    expect(intake.ports).toContain(`${port}:${port}`);
  });

  it('runs Redis durably: AOF fsync on every write, no eviction', () => {
    const command = compose.services.redis!.command!.join(' ');
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--appendfsync always/);
    expect(command).toMatch(/--maxmemory-policy noeviction/);
  });

  it('requires the MSISDN secrets instead of shipping defaults', () => {
    const env = compose.services.intake!.environment!;
    expect(env.MSISDN_HMAC_KEY).toMatch(/:\?/);
    expect(env.MSISDN_ENCRYPTION_KEY).toMatch(/:\?/);
  });
});
