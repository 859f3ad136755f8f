import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

const awsImports = [
  'aws-cdk-lib',
  'aws-cdk-lib/*',
  'constructs',
  'cdk-nag',
  '@aws-sdk/*',
  '@aws-lambda-powertools/*',
];

const layers = [
  { sourceTag: 'layer:model', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'layer:workload', onlyDependOnLibsWithTags: ['layer:model'] },
  { sourceTag: 'layer:detect', onlyDependOnLibsWithTags: ['layer:model'] },
  { sourceTag: 'layer:map', onlyDependOnLibsWithTags: ['layer:detect', 'layer:model', 'type:templates'] },
  { sourceTag: 'layer:sql', onlyDependOnLibsWithTags: ['layer:model'] },
  { sourceTag: 'layer:lake', onlyDependOnLibsWithTags: ['layer:map', 'layer:model'] },
  { sourceTag: 'layer:transform', onlyDependOnLibsWithTags: ['layer:map', 'layer:model'] },
  // The dashboard definition is data any renderer reads, in Node or bundled for a browser: the model only.
  { sourceTag: 'layer:dashboards', onlyDependOnLibsWithTags: ['layer:model'] },
];

// What tests, their helpers and benchmarks may use besides what their project may: the raw-event
// corpus, and the synthetic workload (generated activity, benchmark timing).
const testInputs = ['type:corpus', 'layer:workload'];

/**
 * Who may import whom. `localBanned` is what local-only code may not import; `extra` are tags every
 * project may also depend on (test inputs, in tests); `withLayers: false` lifts the order of the
 * layers, for benchmarks, which build their input through the whole pipeline (the SQL benchmark's
 * lake through the mapper and the lake).
 */
function moduleBoundaries(localBanned, { extra = [], withLayers = true } = {}) {
  const allow = (tags) => [...tags, ...extra];
  return {
    enforceBuildableLibDependency: false,
    banTransitiveDependencies: true,
    depConstraints: [
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: allow(['type:lib', 'type:templates']) },
      { sourceTag: 'type:lib', onlyDependOnLibsWithTags: allow(['type:lib', 'type:templates']) },
      { sourceTag: 'type:corpus', onlyDependOnLibsWithTags: ['layer:model'] },
      { sourceTag: 'type:tools', onlyDependOnLibsWithTags: ['type:lib', 'type:corpus', 'type:templates'] },
      ...(withLayers
        ? layers.map((layer) => ({
            ...layer,
            onlyDependOnLibsWithTags: allow(layer.onlyDependOnLibsWithTags),
          }))
        : []),
      {
        sourceTag: 'scope:core',
        onlyDependOnLibsWithTags: allow(['scope:core']),
        bannedExternalImports: awsImports,
      },
      {
        sourceTag: 'scope:local',
        onlyDependOnLibsWithTags: allow(['scope:core', 'scope:local']),
        bannedExternalImports: localBanned,
      },
      // The analytics app deploys the views libs/sql defines, from the same SQL.
      { sourceTag: 'scope:aws', onlyDependOnLibsWithTags: ['scope:core', 'scope:aws', 'layer:sql'] },
    ],
  };
}

const testFiles = ['**/*.test.ts', '**/test/**/*.ts'];
const benchmarkFiles = ['**/*.bench.ts'];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/dist-lambda/**',
      '**/node_modules/**',
      '**/cdk.out/**',
      '**/.nx/**',
      'templates/index.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries(awsImports)],
    },
  },
  {
    files: testFiles,
    rules: {
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries(awsImports, { extra: testInputs })],
    },
  },
  {
    files: benchmarkFiles,
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        moduleBoundaries(awsImports, { extra: testInputs, withLayers: false }),
      ],
    },
  },
  {
    // The analytics views are tested on lakes made from raw events by the real mapper and ingest.
    files: ['libs/sql/**/*.test.ts', 'libs/sql/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        moduleBoundaries(awsImports, { extra: [...testInputs, 'layer:map', 'layer:lake'] }),
      ],
    },
  },
  {
    // The dashboards' SQL is run on the local query engine, over lakes made from raw events.
    files: ['libs/dashboards/**/*.test.ts', 'libs/dashboards/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        moduleBoundaries(awsImports, { extra: [...testInputs, 'layer:sql'] }),
      ],
    },
  },
  {
    // The local Firehose endpoint is proven with the real AWS SDK client, in its tests and benchmark only.
    files: ['apps/cli/**/*.test.ts', 'apps/cli/**/*.bench.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        moduleBoundaries(awsImports.filter((name) => name !== '@aws-sdk/*').concat(['@aws-sdk/client-s3']), {
          extra: testInputs,
        }),
      ],
    },
  },
  {
    // A focused or skipped test would pass the suite while leaving tests unrun.
    files: ['**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['describe', 'it', 'test'].flatMap((object) => [
          { object, property: 'only', message: 'Focused tests leave the rest of the suite unrun.' },
          { object, property: 'skip', message: 'Skipped tests prove nothing; fix or delete the test.' },
        ]),
      ],
      'no-restricted-globals': [
        'error',
        ...['fit', 'fdescribe', 'xit', 'xdescribe', 'xtest'].map((name) => ({
          name,
          message: 'Focused and skipped tests leave tests unrun.',
        })),
      ],
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: globals.node },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
