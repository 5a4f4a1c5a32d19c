// One lint configuration for every workspace: typescript-eslint's recommended rules, plus the
// layer rule from STYLE.md — domain code has no I/O, so it may not import db/, resolvers/ or drivers.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'infra/kafka/**', 'proto-docs/**', 'jest.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['**/*.cjs', '**/*.mjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', __filename: 'readonly', process: 'readonly', console: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['services/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../db/*', '../resolvers/*', '../events/*', '../commands/*'], message: 'domain/ is pure: no database, resolvers or events' },
            { group: ['typeorm', 'pg', 'kafkajs', '@huanjie/events'], message: 'domain/ is pure: no I/O libraries' },
          ],
        },
      ],
    },
  },
);
