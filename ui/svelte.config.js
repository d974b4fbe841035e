import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

export default {
  preprocess: vitePreprocess(),
  // Styles go to the CSS file, never into style attributes or <style> tags at run time (CSP).
  compilerOptions: { css: 'external' },
};
