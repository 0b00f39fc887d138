/**
 * No cluster runs in CI, so the Kubernetes manifests under infra/k8s are checked
 * statically: every object against the Kubernetes API schemas (kubernetes-models),
 * unknown fields included, then against the services themselves: image, command,
 * ports, probes, configuration names and where secrets live.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import type { IContainer, IPodSpec, IPodTemplateSpec, IProbe } from 'kubernetes-models/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import type { IDeployment, IStatefulSet } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import type { IJob } from 'kubernetes-models/batch/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import type { IConfigMap, INamespace, ISecret, IService } from 'kubernetes-models/v1';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig } from '../../packages/config/src/config';
import { envSchema } from '../../packages/config/src/schema';

const root = path.resolve(__dirname, '..', '..');
const k8sDir = path.join(root, 'infra', 'k8s');
const KUSTOMIZATION = 'kustomization.yaml';

/** Each long-running service: the variable its port comes from, and where its code reads it. */
const SERVICES = {
  intake: { portVar: 'INTAKE_PORT', configField: 'config.intake.port', configMapping: 'port: env.INTAKE_PORT' },
  worker: { portVar: 'WORKER_HEALTH_PORT', configField: 'config.worker.healthPort', configMapping: 'healthPort: env.WORKER_HEALTH_PORT' },
  'sharing-api': { portVar: 'SHARING_PORT', configField: 'config.sharing.port', configMapping: 'port: env.SHARING_PORT' },
  stats: { portVar: 'STATS_PORT', configField: 'config.stats.port', configMapping: 'port: env.STATS_PORT' },
} as const;
type ServiceName = keyof typeof SERVICES;
const AUTOSCALED: ServiceName[] = ['intake', 'worker'];

/** Names that hold secrets: never in a ConfigMap or a literal value, only in a Secret. */
const SECRET_NAME = /^MSISDN_|_PASSWORD$|_TOKEN$|_KEY$|_SECRET$|^DATABASE_URL$|^REDIS_URL$|^REDIS_CLUSTER_NODES$|^INTAKE_ROUTES$/;
const PLACEHOLDER = 'REPLACE_ME';

// ---------------------------------------------------------------- loading

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}
interface Manifest {
  /** relative to infra/k8s */
  file: string;
  doc: K8sObject;
}

type Validatable = new (data: never) => { validate(): void };
const MODELS: Record<string, Validatable> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};
const CLUSTER_SCOPED = new Set(['Namespace']);

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(entry.name) ? [full] : [];
  });
}

const parseErrors: string[] = [];
const manifests: Manifest[] = [];
const allFiles = yamlFiles(k8sDir).map((f) => path.relative(k8sDir, f).split(path.sep).join('/'));
for (const file of allFiles.filter((f) => f !== KUSTOMIZATION)) {
  for (const document of parseAllDocuments(readFileSync(path.join(k8sDir, file), 'utf8'))) {
    if (document.errors.length > 0) {
      parseErrors.push(`${file}: ${document.errors.map((e) => e.message).join('; ')}`);
      continue;
    }
    const doc = document.toJS() as K8sObject | null;
    if (doc !== null) manifests.push({ file, doc });
  }
}
const kustomization = parse(readFileSync(path.join(k8sDir, KUSTOMIZATION), 'utf8')) as { namespace?: string; resources?: string[] };
const deployed = new Set(kustomization.resources ?? []);
/** What `kubectl apply -k infra/k8s` creates (the examples are not part of it). */
const applied = manifests.filter((m) => deployed.has(m.file));

function ofKind<T>(kind: string, from: Manifest[] = applied): T[] {
  return from.filter((m) => m.doc.kind === kind).map((m) => m.doc as unknown as T);
}
const namespaces = ofKind<INamespace>('Namespace');
const configMaps = ofKind<IConfigMap>('ConfigMap');
const secrets = ofKind<ISecret>('Secret', manifests);
const services = ofKind<IService>('Service');
const deployments = ofKind<IDeployment>('Deployment');
const statefulSets = ofKind<IStatefulSet>('StatefulSet');
const jobs = ofKind<IJob>('Job');
const hpas = ofKind<IHorizontalPodAutoscaler>('HorizontalPodAutoscaler');
const pdbs = ofKind<IPodDisruptionBudget>('PodDisruptionBudget');
const networkPolicies = ofKind<INetworkPolicy>('NetworkPolicy');

const workloads: Array<{ kind: string; name: string; template: IPodTemplateSpec }> = [
  ...deployments.map((d) => ({ kind: 'Deployment', name: d.metadata!.name!, template: d.spec!.template })),
  ...statefulSets.map((s) => ({ kind: 'StatefulSet', name: s.metadata!.name!, template: s.spec!.template })),
  ...jobs.map((j) => ({ kind: 'Job', name: j.metadata!.name!, template: j.spec!.template })),
];

const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string; build?: unknown }>;
};
const composeImage = Object.values(compose.services).find((s) => s.build)?.image ?? '';
const imageRepository = (image: string) => image.replace(/:[^:/]+$/, '');
const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
const schemaKeys = new Set(Object.keys(envSchema.shape));
const isAppImage = (image: string | undefined) => imageRepository(image ?? '') === imageRepository(composeImage);

// ---------------------------------------------------------------- helpers

/**
 * The schemas of kubernetes-models accept fields they do not know, which the API
 * server would drop (or reject): a misspelt `readinesProbe` would pass. So each
 * field is replaced in turn by a value no schema accepts; a field whose
 * replacement raises no error at its own path is not in the schema.
 */
function unknownFields(Model: Validatable, doc: unknown): string[] {
  const unknown: string[] = [];
  const visit = (value: unknown, at: Array<string | number>) => {
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...at, i]));
    else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const where = [...at, key];
        const pointer = where.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
        const probe = structuredClone(doc) as Record<string | number, unknown>;
        let parent = probe;
        for (const step of at) parent = parent[step] as Record<string | number, unknown>;
        parent[key] = Symbol('not a Kubernetes value');
        let errors: Array<{ instancePath: string }> = [];
        try {
          new Model(probe as never).validate();
        } catch (err) {
          errors = (err as { errors?: Array<{ instancePath: string }> }).errors ?? [];
        }
        if (!errors.some((e) => e.instancePath === pointer || e.instancePath.startsWith(`${pointer}/`))) unknown.push(where.join('.'));
        else visit(child, where);
      }
    }
  };
  visit(doc, []);
  return unknown;
}

function matches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  const wanted = Object.entries(selector ?? {});
  return wanted.length > 0 && wanted.every(([k, v]) => labels?.[k] === v);
}

function workloadsSelectedBy(selector: Record<string, string> | undefined) {
  return workloads.filter((w) => matches(selector, w.template.metadata?.labels));
}

function podSpec(name: string): IPodSpec {
  const deployment = deployments.find((d) => d.metadata?.name === name);
  if (!deployment) throw new Error(`no Deployment ${name}`);
  return deployment.spec!.template.spec!;
}

function mainContainer(name: string): IContainer {
  const container = podSpec(name).containers.find((c) => c.name === name);
  if (!container) throw new Error(`Deployment ${name} has no container named ${name}`);
  return container;
}

interface EnvEntry {
  from: 'value' | 'configMap' | 'secret' | 'other';
  value?: string;
}

/** The environment a container gets: envFrom (ConfigMaps, Secrets) then env, as the kubelet merges them. */
function containerEnv(container: IContainer): Map<string, EnvEntry> {
  const env = new Map<string, EnvEntry>();
  for (const source of container.envFrom ?? []) {
    if (source.prefix) throw new Error(`${container.name}: envFrom prefix ${source.prefix} would rename the variables`);
    if (source.configMapRef) {
      const configMap = configMaps.find((c) => c.metadata?.name === source.configMapRef!.name);
      if (!configMap) throw new Error(`${container.name}: ConfigMap ${source.configMapRef.name} is not deployed`);
      for (const [key, value] of Object.entries(configMap.data ?? {})) env.set(key, { from: 'configMap', value });
    }
    if (source.secretRef) {
      const secret = secrets.find((s) => s.metadata?.name === source.secretRef!.name);
      if (!secret) throw new Error(`${container.name}: Secret ${source.secretRef.name} has no example in infra/k8s/examples`);
      for (const key of Object.keys({ ...secret.data, ...secret.stringData })) env.set(key, { from: 'secret' });
    }
  }
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) env.set(variable.name, { from: 'value', value: variable.value });
    else if (variable.valueFrom?.secretKeyRef) {
      const ref = variable.valueFrom.secretKeyRef;
      const secret = secrets.find((s) => s.metadata?.name === ref.name);
      const keys = Object.keys({ ...secret?.data, ...secret?.stringData });
      if (!keys.includes(ref.key))
        throw new Error(`${container.name}: ${variable.name} refers to ${ref.name}/${ref.key}, which the example Secret lacks`);
      env.set(variable.name, { from: 'secret' });
    } else if (variable.valueFrom?.configMapKeyRef) {
      const ref = variable.valueFrom.configMapKeyRef;
      const value = configMaps.find((c) => c.metadata?.name === ref.name)?.data?.[ref.key];
      if (value === undefined)
        throw new Error(`${container.name}: ${variable.name} refers to ${ref.name}/${ref.key}, which is not deployed`);
      env.set(variable.name, { from: 'configMap', value });
    } else env.set(variable.name, { from: 'other' });
  }
  return env;
}

/** The port a service listens on with this environment: its variable, or the config's default. */
function listenPort(name: ServiceName, env: Map<string, EnvEntry>): number {
  const variable = SERVICES[name].portVar;
  return Number(envSchema.shape[variable].parse(env.get(variable)?.value));
}

function probePort(container: IContainer, probe: IProbe | undefined): number | undefined {
  const port = probe?.httpGet?.port;
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

function envValue(name: string): string | undefined {
  return configMaps.flatMap((c) => Object.entries(c.data ?? {})).find(([key]) => key === name)?.[1];
}

function preStopSleepSeconds(container: IContainer): number {
  const handler = container.lifecycle?.preStop;
  if (handler?.sleep) return handler.sleep.seconds;
  const command = handler?.exec?.command ?? [];
  return command[0] === 'sleep' ? Number(command[1]) : 0;
}

function quantity(value: string | number | undefined): number {
  if (value === undefined) return NaN;
  const match = /^([0-9.]+)(m|Ki|Mi|Gi)?$/.exec(String(value));
  if (!match) return NaN;
  const unit = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 }[match[2] ?? ''] ?? 1;
  return Number(match[1]) * unit;
}

/** The non-test TypeScript of a folder, as one text. */
function sourceText(dir: string): string {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => readFileSync(path.join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

// ---------------------------------------------------------------- tests

describe('infra/k8s: every object is valid against the Kubernetes API schemas', () => {
  it('parses as YAML', () => {
    expect(parseErrors).toEqual([]);
    expect(manifests.length).toBeGreaterThan(10);
  });

  it.each(manifests.map((m) => [`${m.file}: ${m.doc?.kind}/${m.doc?.metadata?.name}`, m] as const))('%s', (_label, { doc }) => {
    const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
    if (!Model) throw new Error(`unknown kind ${doc.apiVersion}/${doc.kind}: add its kubernetes-models class to this test`);
    expect(() => new Model(doc as never).validate()).not.toThrow();
    expect(unknownFields(Model, doc)).toEqual([]);
  });

  it('rejects a broken manifest (the check itself works)', () => {
    const deployment = structuredClone(deployments[0]!) as unknown as {
      spec: { replicas?: unknown; template: { spec: { containers: Array<Record<string, unknown>> } } };
    };
    deployment.spec.replicas = 'two';
    expect(() => new Deployment(deployment as never).validate()).toThrow(/replicas/);
    const misspelt = structuredClone(deployments[0]!) as unknown as typeof deployment;
    misspelt.spec.template.spec.containers[0]!.readinesProbe = { httpGet: { path: '/readyz', port: 3000 } };
    expect(unknownFields(Deployment, misspelt)).toEqual(['spec.template.spec.containers.0.readinesProbe']);
  });
});

describe('infra/k8s: kustomization and namespace', () => {
  it('lists every manifest, and never the examples', () => {
    const expected = allFiles.filter((f) => f !== KUSTOMIZATION && !f.startsWith('examples/')).sort();
    expect([...deployed].sort()).toEqual(expected);
    expect([...deployed].some((f) => f.startsWith('examples/'))).toBe(false);
  });

  it('puts every object in the one namespace it creates', () => {
    expect(namespaces.map((n) => n.metadata?.name)).toEqual([kustomization.namespace]);
    for (const { file, doc } of manifests) {
      if (CLUSTER_SCOPED.has(doc.kind)) continue;
      expect({ file, kind: doc.kind, namespace: doc.metadata.namespace }).toEqual({
        file,
        kind: doc.kind,
        namespace: kustomization.namespace,
      });
    }
  });
});

describe('infra/k8s: Deployments match the services', () => {
  const serviceDirs = readdirSync(path.join(root, 'services')).filter(
    (d) => existsSync(path.join(root, 'services', d, 'src', 'main.ts')) && d !== 'cli',
  );

  it('has one Deployment per long-running service, named after its folder', () => {
    expect(deployments.map((d) => d.metadata?.name).sort()).toEqual(serviceDirs.sort());
    expect(Object.keys(SERVICES).sort()).toEqual(serviceDirs.sort());
  });

  it('knows where each service reads its port, and that it serves /healthz and /readyz', () => {
    const configSource = readFileSync(path.join(root, 'packages', 'config', 'src', 'config.ts'), 'utf8');
    const health = readFileSync(path.join(root, 'packages', 'http', 'src', 'health.ts'), 'utf8');
    expect(health).toContain("'/healthz'");
    expect(health).toContain("'/readyz'");
    for (const [name, { configField, configMapping }] of Object.entries(SERVICES)) {
      const sources = sourceText(path.join(root, 'services', name, 'src'));
      expect({ name, readsPort: sources.includes(configField) }).toEqual({ name, readsPort: true });
      expect({ name, usesHealthRoutes: sources.includes('createServiceApp(') }).toEqual({ name, usesHealthRoutes: true });
      expect(configSource).toContain(configMapping);
    }
  });

  it.each(Object.keys(SERVICES) as ServiceName[])('%s: image, command, port, probes', (name) => {
    const container = mainContainer(name);
    const [repository, tag] = [imageRepository(container.image ?? ''), container.image?.slice(imageRepository(container.image).length + 1)];
    expect(repository).toBe(imageRepository(composeImage));
    expect(tag).toBe(version);

    expect(container.command).toEqual(['node', `services/${name}/dist/main.js`]);
    expect(existsSync(path.join(root, 'services', name, 'src', 'main.ts'))).toBe(true);
    expect((JSON.parse(readFileSync(path.join(root, 'services', name, 'package.json'), 'utf8')) as { main: string }).main).toBe(
      'dist/main.js',
    );

    const port = listenPort(name, containerEnv(container));
    expect(container.ports?.map((p) => p.containerPort)).toEqual([port]);
    expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(probePort(container, container.readinessProbe)).toBe(port);
    expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(probePort(container, container.livenessProbe)).toBe(port);
    if (container.startupProbe) {
      expect(container.startupProbe.httpGet?.path).toBe('/healthz');
      expect(probePort(container, container.startupProbe)).toBe(port);
    }
    const scrapePort = deployments.find((d) => d.metadata?.name === name)!.spec!.template.metadata?.annotations?.['prometheus.io/port'];
    if (scrapePort !== undefined) expect(Number(scrapePort)).toBe(port);
  });

  it.each(Object.keys(SERVICES) as ServiceName[])('%s: selector matches its pods, and only its pods', (name) => {
    const deployment = deployments.find((d) => d.metadata?.name === name)!;
    expect(matches(deployment.spec!.selector.matchLabels, deployment.spec!.template.metadata?.labels)).toBe(true);
    expect(workloadsSelectedBy(deployment.spec!.selector.matchLabels).map((w) => `${w.kind}/${w.name}`)).toEqual([`Deployment/${name}`]);
  });

  it.each(Object.keys(SERVICES) as ServiceName[])(
    '%s: shutdown drains within the grace period; HTTP services leave the endpoints first',
    (name) => {
      const spec = podSpec(name);
      const container = mainContainer(name);
      const drainSeconds = Number(envSchema.shape.SHUTDOWN_TIMEOUT_MS.parse(envValue('SHUTDOWN_TIMEOUT_MS'))) / 1000;
      const sleep = preStopSleepSeconds(container);
      // Gateways, operators and regulators call the intake, the sharing API and the statistics;
      // the worker's port serves only probes and metrics.
      if (name !== 'worker') expect(sleep).toBeGreaterThanOrEqual(3);
      expect(spec.terminationGracePeriodSeconds ?? 30).toBeGreaterThan(sleep + drainSeconds);
    },
  );

  it('the intake stops getting traffic before SIGTERM (preStop)', () => {
    expect(preStopSleepSeconds(mainContainer('intake'))).toBeGreaterThan(0);
  });
});

describe('infra/k8s: every container', () => {
  const containers = workloads.flatMap((w) =>
    [...(w.template.spec?.initContainers ?? []), ...(w.template.spec?.containers ?? [])].map((c) => ({
      workload: `${w.kind}/${w.name}`,
      pod: w.template.spec!,
      container: c,
    })),
  );

  it.each(containers.map((c) => [`${c.workload} ${c.container.name}`, c] as const))(
    '%s: requests, limits and a restricted security context',
    (_label, { pod, container }) => {
      expect(quantity(container.resources?.requests?.cpu)).toBeGreaterThan(0);
      expect(quantity(container.resources?.requests?.memory)).toBeGreaterThan(0);
      expect(quantity(container.resources?.limits?.memory)).toBeGreaterThanOrEqual(quantity(container.resources?.requests?.memory));
      // The namespace enforces the "restricted" Pod Security Standard.
      expect(pod.securityContext?.runAsNonRoot).toBe(true);
      expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
      expect(pod.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
      expect(container.securityContext?.allowPrivilegeEscalation).toBe(false);
      expect(container.securityContext?.capabilities?.drop).toEqual(['ALL']);
      expect(pod.automountServiceAccountToken).toBe(false);
    },
  );

  const appContainers = containers.filter((c) => isAppImage(c.container.image));

  it('runs the project image in every Deployment and the migration Job', () => {
    expect(appContainers.map((c) => c.workload).sort()).toEqual(
      [...deployments.map((d) => `Deployment/${d.metadata?.name}`), ...jobs.map((j) => `Job/${j.metadata?.name}`)].sort(),
    );
    for (const { container } of appContainers) expect(container.image).toBe(`${imageRepository(composeImage)}:${version}`);
  });

  it.each(appContainers.map((c) => [`${c.workload} ${c.container.name}`, c] as const))(
    '%s: only configuration names the services know; secrets only from Secrets',
    (_label, { container }) => {
      const env = containerEnv(container);
      for (const [name, entry] of env) {
        expect({ name, known: schemaKeys.has(name) }).toEqual({ name, known: true });
        if (SECRET_NAME.test(name)) expect({ name, from: entry.from }).toEqual({ name, from: 'secret' });
      }
      for (const required of ['DATABASE_URL', 'REDIS_URL', 'MSISDN_HMAC_KEY', 'MSISDN_ENCRYPTION_KEY'])
        expect({ required, from: env.get(required)?.from }).toEqual({ required, from: 'secret' });
      expect(env.get('NODE_ENV')?.value).toBe('production');
      expect(env.get('HOST')?.value).toBe('0.0.0.0');
      expect(env.get('START_LOCAL_SERVICES')?.value).toBe('false');
    },
  );
});

describe('infra/k8s: configuration', () => {
  it('ConfigMaps hold only known, valid, non-secret settings', () => {
    expect(configMaps.length).toBeGreaterThan(0);
    for (const configMap of configMaps) {
      for (const [name, value] of Object.entries(configMap.data ?? {})) {
        expect({ name, known: schemaKeys.has(name), secret: SECRET_NAME.test(name) }).toEqual({ name, known: true, secret: false });
        const parsed = envSchema.shape[name as keyof typeof envSchema.shape].safeParse(value);
        expect({ name, value, valid: parsed.success }).toEqual({ name, value, valid: true });
      }
    }
  });

  it('with real secrets, the ConfigMap is a valid production configuration', () => {
    const data = Object.fromEntries(configMaps.flatMap((c) => Object.entries(c.data ?? {})));
    const config = loadConfig({
      ...data,
      DATABASE_URL: 'postgres://srs:secret@postgres.example:5432/srs',
      REDIS_URL: 'redis://:secret@redis:6379',
      MSISDN_HMAC_KEY: randomBytes(32).toString('hex'),
      MSISDN_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
    });
    expect(config.env).toBe('production');
    expect(config.http.host).toBe('0.0.0.0');
  });

  it('Secrets are examples with placeholders only, which the services refuse', () => {
    expect(secrets.length).toBeGreaterThan(0);
    for (const { file, doc } of manifests.filter((m) => m.doc.kind === 'Secret')) {
      expect(file.startsWith('examples/')).toBe(true);
      const secret = doc as unknown as ISecret;
      expect(secret.data).toBeUndefined();
      for (const [name, value] of Object.entries(secret.stringData ?? {}))
        expect({ name, placeholder: value.includes(PLACEHOLDER) }).toEqual({ name, placeholder: true });
    }
    const configData = Object.fromEntries(configMaps.flatMap((c) => Object.entries(c.data ?? {})));
    const example = secrets.find((s) => s.metadata?.name === 'srs-secrets')!;
    expect(() => loadConfig({ ...configData, ...example.stringData })).toThrow(/MSISDN_HMAC_KEY/);
  });

  it('the README says how to create every key of the Secrets', () => {
    const readme = readFileSync(path.join(k8sDir, 'README.md'), 'utf8');
    for (const secret of secrets) {
      expect(readme).toContain(secret.metadata!.name!);
      for (const key of Object.keys(secret.stringData ?? {}))
        expect({ key, documented: readme.includes(key) }).toEqual({ key, documented: true });
    }
    expect(readme).toContain('kubectl apply -k infra/k8s');
  });
});

describe('infra/k8s: Services, autoscalers, disruption budgets, the migration Job, Redis', () => {
  it.each(services.map((s) => [s.metadata!.name!, s] as const))(
    'Service %s selects one workload and targets its container ports',
    (name, service) => {
      const selected = workloadsSelectedBy(service.spec?.selector);
      expect(selected.length).toBe(1);
      const containers = selected[0]!.template.spec!.containers;
      for (const port of service.spec?.ports ?? []) {
        const target = port.targetPort ?? port.port;
        const containerPort = containers
          .flatMap((c) => c.ports ?? [])
          .find((p) => (typeof target === 'number' ? p.containerPort === target : p.name === target));
        expect({ service: name, port: port.port, target, found: containerPort !== undefined }).toEqual({
          service: name,
          port: port.port,
          target,
          found: true,
        });
        // Inside the cluster, a service is reached on the port it is documented with.
        expect(containerPort?.containerPort).toBe(port.port);
      }
    },
  );

  it('every HTTP service has a Service of the same name', () => {
    for (const name of Object.keys(SERVICES)) {
      const service = services.find((s) => s.metadata?.name === name);
      expect({ name, selects: workloadsSelectedBy(service?.spec?.selector).map((w) => w.name) }).toEqual({ name, selects: [name] });
    }
  });

  it('autoscales the intake and the worker, and only they leave replicas to the autoscaler', () => {
    expect(hpas.map((h) => h.spec?.scaleTargetRef.name).sort()).toEqual([...AUTOSCALED].sort());
    for (const hpa of hpas) {
      const ref = hpa.spec!.scaleTargetRef;
      expect({ apiVersion: ref.apiVersion, kind: ref.kind }).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment' });
      const target = deployments.find((d) => d.metadata?.name === ref.name);
      expect(target).toBeDefined();
      expect(target!.spec!.replicas).toBeUndefined();
      expect(hpa.spec!.minReplicas).toBeGreaterThanOrEqual(2);
      expect(hpa.spec!.maxReplicas).toBeGreaterThan(hpa.spec!.minReplicas!);
      // Utilization is measured against the requests.
      for (const metric of hpa.spec!.metrics ?? []) {
        if (metric.type === 'Resource') {
          for (const c of target!.spec!.template.spec!.containers)
            expect(quantity(c.resources?.requests?.[metric.resource!.name])).toBeGreaterThan(0);
        }
      }
    }
    for (const deployment of deployments.filter((d) => !AUTOSCALED.includes(d.metadata!.name as ServiceName))) {
      expect(deployment.spec!.replicas).toBeGreaterThanOrEqual(2);
    }
  });

  it('every Deployment has one PodDisruptionBudget whose selector matches its pods, and which allows a drain', () => {
    for (const pdb of pdbs) {
      expect(workloadsSelectedBy(pdb.spec?.selector?.matchLabels).length).toBe(1);
      expect(pdb.spec?.selector?.matchExpressions).toBeUndefined();
    }
    for (const deployment of deployments) {
      const name = deployment.metadata!.name!;
      const budgets = pdbs.filter((p) => matches(p.spec?.selector?.matchLabels, deployment.spec!.template.metadata?.labels));
      expect({ name, budgets: budgets.length }).toEqual({ name, budgets: 1 });
      const budget = budgets[0]!.spec!;
      const replicas = deployment.spec!.replicas ?? hpas.find((h) => h.spec?.scaleTargetRef.name === name)?.spec?.minReplicas ?? 1;
      if (budget.minAvailable !== undefined) expect(Number(budget.minAvailable)).toBeLessThan(replicas);
      else expect(Number(budget.maxUnavailable)).toBeGreaterThanOrEqual(1);
    }
  });

  it('migrates with the CLI, as compose does', () => {
    expect(jobs.map((j) => j.metadata?.name)).toEqual(['migrate']);
    const container = jobs[0]!.spec!.template.spec!.containers[0]!;
    expect(container.command).toEqual(['node', 'services/cli/dist/main.js', 'migrate']);
    expect(existsSync(path.join(root, 'services', 'cli', 'src', 'main.ts'))).toBe(true);
    expect(readFileSync(path.join(root, 'services', 'cli', 'src', 'commands', 'database.ts'), 'utf8')).toContain(".command('migrate')");
    expect(container.envFrom).toEqual(mainContainer('worker').envFrom);
    expect(['OnFailure', 'Never']).toContain(jobs[0]!.spec!.template.spec!.restartPolicy);
  });

  it('runs Redis durably: AOF fsync on every write, no eviction, data on a volume', () => {
    expect(statefulSets.map((s) => s.metadata?.name)).toEqual(['redis']);
    const redis = statefulSets[0]!;
    const container = redis.spec!.template.spec!.containers[0]!;
    const args = [...(container.command ?? []), ...(container.args ?? [])].join(' ');
    expect(args).toMatch(/--appendonly yes/);
    expect(args).toMatch(/--appendfsync always/);
    expect(args).toMatch(/--maxmemory-policy noeviction/);
    const dir = /--dir (\S+)/.exec(args)?.[1] ?? '/data';
    const claims = (redis.spec!.volumeClaimTemplates ?? []).map((c) => c.metadata?.name);
    expect(container.volumeMounts?.filter((m) => m.mountPath === dir && claims.includes(m.name))).toHaveLength(1);
    expect(redis.spec!.replicas).toBe(1);
    expect(services.some((s) => s.metadata?.name === redis.spec!.serviceName)).toBe(true);

    // The services' REDIS_URL points at it.
    const redisUrl = new URL(secrets.find((s) => s.metadata?.name === 'srs-secrets')!.stringData!.REDIS_URL!);
    const service = services.find((s) => s.metadata?.name === redisUrl.hostname);
    expect(workloadsSelectedBy(service?.spec?.selector).map((w) => w.name)).toEqual(['redis']);
    expect(service!.spec!.ports!.map((p) => p.port)).toContain(Number(redisUrl.port || 6379));
  });

  it('lets every service reach Redis through its NetworkPolicy, and only them', () => {
    const redisPods = statefulSets[0]!.spec!.template.metadata?.labels;
    const policy = networkPolicies.find((p) => matches(p.spec?.podSelector.matchLabels, redisPods));
    expect(policy).toBeDefined();
    const allowed = (policy!.spec!.ingress ?? []).flatMap((rule) => rule.from ?? []).map((peer) => peer.podSelector?.matchLabels);
    for (const deployment of deployments) {
      expect({
        name: deployment.metadata?.name,
        allowed: allowed.some((sel) => matches(sel, deployment.spec!.template.metadata?.labels)),
      }).toEqual({ name: deployment.metadata?.name, allowed: true });
    }
    expect(allowed.some((sel) => matches(sel, redisPods))).toBe(false);
  });
});
