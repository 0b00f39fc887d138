import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { envSchema } from '../../packages/config/src/schema';

const root = path.resolve(__dirname, '..', '..');
interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  restart?: string;
  stop_grace_period?: string;
}
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const dockerfile = readFileSync(path.join(root, 'infra', 'docker', 'Dockerfile'), 'utf8');
const known = new Set(Object.keys(envSchema.shape));
const appServices = Object.entries(compose.services).filter(([, s]) => s.command?.some((c) => c.includes('dist/main.js')));

/** The long-running services and the variable each one's port comes from. */
const PORTS = { intake: 'INTAKE_PORT', worker: 'WORKER_HEALTH_PORT', 'sharing-api': 'SHARING_PORT', stats: 'STATS_PORT' } as const;
type Name = keyof typeof PORTS;
const names = Object.keys(PORTS) as Name[];
const SECRET_NAME = /^MSISDN_|_PASSWORD$|_TOKEN$|_KEY$|_SECRET$|^DATABASE_URL$|^REDIS_URL$|^REDIS_CLUSTER_NODES$|^INTAKE_ROUTES$/;

function port(name: Name): number {
  const variable = PORTS[name];
  return Number(envSchema.shape[variable].parse(compose.services[name]?.environment?.[variable]));
}

function seconds(duration: string | undefined): number {
  const match = /^(\d+)(ms|s|m)?$/.exec(duration ?? '10s');
  if (!match) return NaN;
  return Number(match[1]) * ({ ms: 0.001, s: 1, m: 60 }[match[2] ?? 's'] ?? 1);
}

describe('docker-compose.yml', () => {
  it('runs every service that has an entry point', () => {
    const withMain = readdirSync(path.join(root, 'services')).filter((d) => existsSync(path.join(root, 'services', d, 'src', 'main.ts')));
    expect(withMain).toEqual(expect.arrayContaining(['cli', ...names]));
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

  it('takes every secret from the environment it is started with, never from the file', () => {
    for (const [name, service] of appServices) {
      for (const [variable, value] of Object.entries(service.environment ?? {})) {
        // A URL is secret for the credentials in it: Redis inside compose has none.
        const secret = SECRET_NAME.test(variable) && (!variable.endsWith('_URL') || value.includes('@'));
        if (secret)
          expect({ service: name, variable, fromEnvironment: value.includes('${') }).toEqual({
            service: name,
            variable,
            fromEnvironment: true,
          });
      }
    }
  });

  it('publishes the intake on the port its config listens on', () => {
    const intake = compose.services.intake!;
    const port = intake.environment?.INTAKE_PORT ?? '3000';
    expect(intake.ports).toContain(`${port}:${port}`);
  });

  it.each(names)('%s: runs from the built image, healthy on /readyz at its port, restarted, drained on stop', (name) => {
    const service = compose.services[name];
    expect(service).toBeDefined();
    const built = Object.values(compose.services).find((s) => s.build);
    expect(service!.image).toBe(built?.image);
    expect(service!.command).toEqual(['node', `services/${name}/dist/main.js`]);
    expect(service!.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${port(name)}/readyz`);
    if (name !== 'worker') expect(service!.ports).toContain(`${port(name)}:${port(name)}`);
    const env = service!.environment ?? {};
    expect(env.HOST).toBe('0.0.0.0');
    expect(env.NODE_ENV).toBe('production');
    expect(env.START_LOCAL_SERVICES).toBe('false');
    expect(service!.depends_on?.setup?.condition).toBe('service_completed_successfully');
    expect(service!.depends_on?.redis?.condition).toBe('service_healthy');
    expect(service!.restart).toMatch(/^(always|unless-stopped|on-failure)/);
    const drain = Number(envSchema.shape.SHUTDOWN_TIMEOUT_MS.parse(env.SHUTDOWN_TIMEOUT_MS)) / 1000;
    expect(seconds(service!.stop_grace_period)).toBeGreaterThan(drain);
  });

  it('migrates the database before the services start', () => {
    const setup = Object.entries(compose.services).find(([, s]) => s.build)!;
    expect(setup[1].command?.join(' ')).toContain('node services/cli/dist/main.js migrate');
    expect(setup[1].depends_on?.postgres?.condition).toBe('service_healthy');
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

describe('infra/docker/Dockerfile', () => {
  it('exposes every service port', () => {
    const exposed = (/^EXPOSE (.+)$/m.exec(dockerfile)?.[1] ?? '').split(/\s+/).map(Number);
    for (const name of names) expect({ name, exposed: exposed.includes(port(name)) }).toEqual({ name, exposed: true });
  });

  it('runs as a non-root user, bound to every interface, and its default command exists', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(runtime).toMatch(/^USER (?!root\b|0\b)\S+$/m);
    expect(runtime).toMatch(/HOST=0\.0\.0\.0/);
    const cmd = JSON.parse(/^CMD (\[.+\])$/m.exec(runtime)?.[1] ?? '[]') as string[];
    expect(cmd[0]).toBe('node');
    expect(existsSync(path.join(root, cmd[1]!.replace(/dist\/main\.js$/, 'src/main.ts')))).toBe(true);
  });
});
