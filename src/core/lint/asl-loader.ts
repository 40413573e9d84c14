/**
 * PERFORMANCE: ASL validation pulls in ajv, jsonata and asl-validator's schemas (~300 KiB). It loads
 * on the first linked definition, never at extension activation or CLI start. The bundler turns
 * this import into a separate file (dist/asl.js, see scripts/build.mjs); unbundled (tests, tsc
 * output) it is an ordinary lazy require.
 */
export type AslValidation = typeof import('../asl/validate');

let loading: Promise<AslValidation> | undefined;

export function loadAslValidation(): Promise<AslValidation> {
  return (loading ??= import('../asl/validate'));
}
