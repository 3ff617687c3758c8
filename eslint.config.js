// @ts-check
// ESLint runs only what oxlint (.oxlintrc.json, where every other rule is) has no rule for: React's hooks
// rules for web/, whose compiler-based checks (components made during render, effects that set state,
// refs read during render) exist only as this plugin. They need no type information, so ESLint parses
// without a TypeScript program and takes seconds.
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/*', '!web/', '!web/src/', '!web/src/**'] },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { parser: tseslint.parser },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
);
