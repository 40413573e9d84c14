/**
 * Imported first by extension.ts, so this runs before the rest of the bundle is evaluated: the
 * activation time the extension reports includes loading its code, not just `activate()`.
 */
export const bundleLoadStartedAt = performance.now();
