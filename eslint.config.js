// ESLint flat config: typescript-eslint's type-checked rules (floating
// promises in async handlers, unsafe any) over the packages' sources.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', 'node_modules/**', 'bench/**', 'scripts/**', 'packages/cli/bin/**', 'templates/**', 'events/**', 'test/**', 'packages/*/test/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // interfaces are async (Backend, ServiceManager); several implementations are synchronous inside
      '@typescript-eslint/require-await': 'off',
    },
  },
);
