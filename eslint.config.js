// @ts-check
// Lint: typescript-eslint's strict, type-aware rules over the server, tests and benchmarks, React's
// hooks rules for web/, and the import rules that keep each layer to its own tools.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Which folder may import what: SQL drivers only in src/store/, the HTTP client only in src/outbound/,
 * the master key and data keys only in src/vault/ (the keychain's own key material and the Encryptor
 * are people's keys, not Hitch's, and stay where they are).
 */
const LAYERS = {
  store: [
    { name: 'kysely', message: 'SQL lives in src/store/: add a repository method there.' },
    { name: 'pg', message: 'SQL lives in src/store/.' },
    { name: 'better-sqlite3', message: 'SQL lives in src/store/.' },
  ],
  outbound: [
    { name: 'undici', message: 'Outbound calls go through src/outbound/ (network policy, limits, credentials).' },
  ],
  vault: [
    {
      group: ['**/vault/key-ring*', '**/vault/master-key*', '**/vault/aes-gcm*', '**/vault/zeroize*'],
      message: 'The master key and data keys stay in src/vault/: use the Vault interface (vault/types.ts).',
    },
  ],
};

/** The import rule for a folder: every other layer's tools are off limits. */
function importsExcept(own) {
  const others = Object.entries(LAYERS).filter(([layer]) => layer !== own);
  const paths = others.flatMap(([, rules]) => rules.filter((r) => 'name' in r));
  const patterns = others.flatMap(([, rules]) => rules.filter((r) => 'group' in r));
  return { 'no-restricted-imports': ['error', { paths, patterns }] };
}

export default tseslint.config(
  { ignores: ['dist/', 'web/dist/', 'node_modules/', 'test-output/', 'bench/results/', 'data/', 'coverage/'] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'bin/*.js', 'scripts/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      // Template literals print numbers and booleans in messages; objects would still be caught.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // Fastify's and node's callback APIs take async functions where they accept promises.
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      // With noUncheckedIndexedAccess, `!` is how code says an index it just checked exists.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Interface methods (repositories, jobs, fakes) are async for their callers, with or without an await inside.
      '@typescript-eslint/require-await': 'off',
      // `() => void promise` and arrow bodies that return a call read better than braces everywhere.
      '@typescript-eslint/no-confusing-void-expression': [
        'error',
        { ignoreArrowShorthand: true, ignoreVoidOperator: true },
      ],
    },
  },
  {
    // Tests read JSON answers (`res.json().error.code`) as `any` on purpose: the assertions are what check their shape.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  { files: ['src/**/*.ts'], ignores: ['src/store/**', 'src/outbound/**', 'src/vault/**'], rules: importsExcept(null) },
  { files: ['src/store/**/*.ts'], rules: importsExcept('store') },
  { files: ['src/outbound/**/*.ts'], rules: importsExcept('outbound') },
  { files: ['src/vault/**/*.ts'], rules: importsExcept('vault') },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
    languageOptions: { globals: { ...globals.browser } },
  },
);
