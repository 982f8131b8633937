import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { forbiddenImports } from './architecture.config.js';

/** One lint block per room of src/: a relative import that reaches a forbidden room is an error. */
const roomBoundaries = Object.entries(forbiddenImports).map(([room, forbidden]) => ({
  files: [`src/${room}/**/*.ts`, `src/${room}.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: `^(\\.\\.?/)+(${forbidden.join('|')})(/|\\.ts$)`,
            message: `src/${room} must not import this room (architecture.config.js, docs/architecture.md).`,
          },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['node_modules/', 'fixtures/', 'data/', 'coverage/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      'no-console': ['error', { allow: ['error'] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.property.name='toString'][arguments.length=0][callee.object.name='err']", message: 'Do not stringify raw errors.' }]
    }
  },
  {
    files: ['src/cli/**', 'src/wallet/**', 'bin/**', 'bench/**', 'tests/**'],
    rules: { 'no-console': 'off' }
  },
  ...roomBoundaries
);
