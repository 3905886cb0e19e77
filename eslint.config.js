// Lint with types, no warnings allowed, and the three rooms kept apart (house style 1-3).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'assert', 'buffer', 'child_process', 'crypto', 'dns', 'events', 'fs', 'fs/promises', 'http', 'https', 'net',
  'os', 'path', 'process', 'stream', 'tls', 'url', 'util', 'worker_threads', 'zlib',
];

const noNode = (why) => [
  { group: ['node:*'], message: why },
  ...NODE_BUILTINS.map((name) => ({ group: [name], message: why })),
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'release/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unnecessary-condition': ['error', { allowConstantLoopConditions: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      'no-console': 'error',
    },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...noNode('app/ is shared by both processes and must run anywhere: no Node APIs here.'),
            { group: ['electron'], message: 'app/ must not depend on Electron; only main/electron/ may.' },
            { group: ['react', 'react-dom', 'dexie'], message: 'app/ is environment-free: UI and store live in renderer/.' },
            { group: ['**/main/**', '**/renderer/**'], message: 'app/ imports neither main/ nor renderer/; they import app/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron'], message: 'Only the thin shell in main/electron/ imports electron, so the engine runs without it.' },
            { group: ['**/renderer/**'], message: 'main/ never imports renderer/: share code through app/.' },
            { group: ['react', 'react-dom', 'dexie'], message: 'UI and store belong to renderer/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...noNode('renderer/ runs in a sandboxed page: no Node APIs.'),
            { group: ['electron'], message: 'The renderer reaches main only through the preload contract.' },
            { group: ['**/main/**'], message: 'renderer/ never imports main/: share code through app/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-console': 'off',
    },
  },
);
