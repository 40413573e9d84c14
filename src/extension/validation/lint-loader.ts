/**
 * PERFORMANCE: the lint engine (config, pipeline, expression, payload and mock rules: ~70 KiB) is
 * not needed to activate, to find the configs or to draw the Links view: it loads for the first
 * lint, after the view's first level. The bundler turns this import into a separate file
 * (dist/lint.js, see scripts/build.mjs); unbundled (tests, tsc output) it is an ordinary lazy require.
 */
export type LintEngine = typeof import('../../core/lint/engine');

let loading: Promise<LintEngine> | undefined;

export function loadLintEngine(): Promise<LintEngine> {
  return (loading ??= import('../../core/lint/engine'));
}
