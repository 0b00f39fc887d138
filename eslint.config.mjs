// Lint rules for the whole tree, run by `npm run lint` in CI. The layer rules
// between folders are dependency-cruiser's (.dependency-cruiser.cjs); the rules
// here are the ones only an AST can see: what a file imports by name, and SQL
// written outside packages/db.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const NO_PG = { name: 'pg', message: 'Only packages/db talks to PostgreSQL.' };
const NO_QUEUE_PRODUCERS = {
  name: 'bullmq',
  importNames: ['Queue', 'FlowProducer'],
  allowTypeImports: true,
  message: 'Producers and job contracts live in packages/queue.',
};

const SQL_OUTSIDE_DB = {
  selector: "CallExpression[callee.property.name='query'][arguments.0.type=/^(Literal|TemplateLiteral)$/]",
  message: 'SQL belongs in a repository in packages/db; call a repository method instead.',
};

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      '.turbo/**',
      'services/stats/public/**',
      'services/sharing-api/public/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['**/*.cjs', '**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly', console: 'readonly' },
    },
  },
  {
    files: ['services/*/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': ['error', SQL_OUTSIDE_DB],
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [NO_PG, NO_QUEUE_PRODUCERS] }],
    },
  },
  {
    files: ['services/*/src/**/*-routes.ts', 'services/*/src/**/routes.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            NO_PG,
            NO_QUEUE_PRODUCERS,
            {
              name: '@srs/db',
              importNames: ['Pool', 'PoolClient', 'createPool'],
              message: 'Routes are handed their repositories; they never build one from a pool.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/core/src/**/*.ts', 'packages/classifier/src/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
);
