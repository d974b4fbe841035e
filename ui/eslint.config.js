// ESLint for the UI: the recommended JavaScript, TypeScript and Svelte rules. Formatting is
// Prettier's job (.prettierrc.json), so no rule here is about layout.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
  { ignores: ['dist/', 'src/lib/bindings.ts', 'src/lib/vocabulary.ts', 'src/lib/commands.ts'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  { languageOptions: { globals: { ...globals.browser } } },
  // `{' '}` keeps a space that Svelte would otherwise trim at the edge of an `{#if}` or `{#each}`.
  { rules: { 'svelte/no-useless-mustaches': 'off' } },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig },
    },
  },
);
