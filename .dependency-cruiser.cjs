// The layering rules of src/ (docs/architecture.md), checked by `npm run lint:imports`.
// Data flows one way: text → config model → plan → effects; each rule below forbids an
// import that would let a lower layer depend on a higher one.
//
// Type-only imports count (tsPreCompilationDeps): an `import type` from src/run.ts makes
// the executor look as if it depended on the orchestrator just as much as a value import.

/** Folders that each hold one subcommand; none may import another. */
const SUBCOMMANDS = 'daemon|watch|export|install|journal';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'No import cycles, type-only edges included.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'plan-is-pure',
      severity: 'error',
      comment: 'The planner is pure: no executor, CLI or state store, no file system or processes (all are injected).',
      from: { path: '^src/plan/' },
      to: { path: ['^src/(exec|cli|state)/', '^(node:)?(fs|fs/promises|child_process)$'] },
    },
    {
      name: 'config-below-exec-and-cli',
      severity: 'error',
      comment: 'Reading configs never depends on the executor or the CLI.',
      from: { path: '^src/config/' },
      to: { path: '^src/(exec|cli)/' },
    },
    {
      name: 'exec-below-cli',
      severity: 'error',
      comment: 'The executor never depends on the CLI.',
      from: { path: '^src/exec/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'subcommands-apart',
      severity: 'error',
      comment: 'A subcommand folder never imports another one; what two share lives in a lower layer.',
      from: { path: `^src/(${SUBCOMMANDS})/` },
      to: { path: `^src/(${SUBCOMMANDS})/`, pathNot: '^src/$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Count `import type` and type-only re-exports as edges (they vanish from the .js output).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // The generated parser has no imports of its own; nothing to learn from parsing it.
    exclude: { path: '^src/config/grammar\\.generated\\.js$' },
  },
};
