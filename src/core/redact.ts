import { VALUE_PATTERNS } from './rules/secrets';

/**
 * One redaction for every printer (lint messages in text, JSON and SARIF; run logs; the editor's
 * output): values that look like credentials are replaced by a marker naming their kind, so a CI
 * log or an uploaded code-scanning result never carries a SAS signature or a JWT.
 */
export function redactSecrets(text: string): string {
  let out = text;
  for (const { kind, pattern, hint } of VALUE_PATTERNS) {
    if (!hint(out)) continue;
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    out = out.replace(global, (match) => {
      // Keep the part of a match that names where the secret was (`sig=`, `AccountKey=`, `password=`).
      const prefix = /^(?:[?&;]?\s*[A-Za-z]+\s*=)/.exec(match)?.[0] ?? '';
      return `${prefix}«redacted ${kind.replace(/^an? /, '')}»`;
    });
  }
  return out;
}
