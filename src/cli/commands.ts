/**
 * The commands other than `lint`, bundled apart from it (dist/cli-commands.js, loaded by main.ts
 * when one of them is asked for). PERFORMANCE: with them inside dist/cli.js, their lazy loading
 * made esbuild wrap every module they share with lint in a lazily-run initialiser, and a cold
 * `bridge lint` paid for those wrappers and for the parse of code it never runs.
 */
export { runCommand } from './run';
export { sandboxCommand } from './sandbox';
export { statusCommand } from './status';
