// The JS lint (`npm run lint:js`): ESLint's recommended rules on leakhunt's own JavaScript.
import js from '@eslint/js'
import globals from 'globals'

export default [
  { ignores: ['node_modules/', 'target/', 'fuzz/', 'dist/', '.cache/', 'npm/', 'bench/out/'] },
  js.configs.recommended,
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', ecmaVersion: 2023, globals: { ...globals.node } },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', ecmaVersion: 2023, globals: { ...globals.node } },
  },
  {
    // The runner fixtures are users' test files: their runners provide these.
    files: ['__test__/runners/**'],
    languageOptions: { globals: { ...globals.jest, ...globals.mocha } },
  },
  {
    // A page's classic script: browser globals; its functions are called by the tests through
    // the page's inspector (--eval), not from the file.
    files: ['__test__/fixtures/page/**'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser } },
  },
  {
    // Tests match ANSI colour codes in CLI output.
    files: ['__test__/**'],
    rules: { 'no-control-regex': 'off' },
  },
  {
    rules: {
      // `_` names a value deliberately unused (a callback's slot); a rest pattern drops keys.
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // `x = null` that nothing reads again is how code here lets the GC take an object (the
      // fixtures' garbage, track()'s argument): the point of a leak finder, not a slip.
      'no-useless-assignment': 'off',
    },
  },
]
