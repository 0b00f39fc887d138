/**
 * The architecture's dependency rules (docs/ARCHITECTURE.md, "Dependency rules"),
 * checked by `npm run lint` in CI. A rule's name is what a failing run prints.
 */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'The domain core (and the classifier built on it) is pure functions: no database, queue, HTTP, logging or service.',
      severity: 'error',
      from: { path: '^packages/(core|classifier)/src/' },
      to: { path: '^packages/(config|db|devstack|http|logging|queue|testkit)/|^services/', pathNot: '^packages/testkit/src/pure\\.ts$' },
    },
    {
      name: 'core-no-io-modules',
      comment: 'The domain core reaches no I/O library, not even through a test helper.',
      severity: 'error',
      from: { path: '^packages/(core|classifier)/src/' },
      to: { path: 'node_modules/(pg|ioredis|bullmq|express|pino)/', reachable: true },
    },
    {
      name: 'no-cross-service',
      comment: 'Services are deployed apart: none imports another service, tests included. Shared code goes to packages/.',
      severity: 'error',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    {
      name: 'packages-below-services',
      comment: 'Libraries in packages/ never depend on a deployable.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^services/' },
    },
    {
      name: 'browser-code-no-node',
      comment: "Browser code (packages/browser-kit and each service's browser/ page) runs in the browser: no Node built-in module.",
      severity: 'error',
      from: { path: '^(packages/browser-kit/src|services/[^/]+/browser)/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'browser-code-no-server-code',
      comment: 'Browser code imports no other workspace package (they are built for Node), no service code and no server library.',
      severity: 'error',
      from: { path: '^(packages/browser-kit/src|services/[^/]+/browser)/' },
      to: {
        path: '^packages/(?!browser-kit/)|^services/[^/]+/(?!browser/)|node_modules/(pg|ioredis|bullmq|express|helmet|pino|prom-client)/',
      },
    },
    {
      name: 'browser-kit-only-in-pages',
      comment: "packages/browser-kit is for the services' browser/ pages, which esbuild bundles; Node code never loads it.",
      severity: 'error',
      from: { pathNot: '^(packages/browser-kit|services/[^/]+/browser)/' },
      to: { path: '^packages/browser-kit/' },
    },
    {
      name: 'pg-only-in-db',
      comment: 'SQL lives in packages/db: only its repositories (and devstack, which creates the database) import pg.',
      severity: 'error',
      from: { pathNot: '^packages/(db|devstack)/' },
      to: { path: 'node_modules/pg/' },
    },
    {
      name: 'routes-take-repositories',
      comment: 'HTTP entry points are handed their repositories; they never open a pool or build a repository from one.',
      severity: 'error',
      from: { path: '^services/[^/]+/src/.*routes?\\.ts$' },
      to: { path: '^packages/db/src/(pool|client|connection)' },
    },
    {
      name: 'scripts-use-public-entries',
      comment: "Scripts and root tests use a service's public entry (src/index.ts), never its internals or its dist.",
      severity: 'error',
      from: { path: '^scripts/' },
      to: { path: '^services/[^/]+/', pathNot: '^services/[^/]+/src/index\\.ts$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
