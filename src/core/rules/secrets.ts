import type { Node } from 'jsonc-parser';
import type { DiagnosticSink } from './report';
import type { SourceText } from '../text';

/**
 * What makes a string look like a credential. The message names the kind of secret and never
 * repeats the value: diagnostics end up in logs and CI output.
 */
export const VALUE_PATTERNS: { kind: string; pattern: RegExp; hint: (value: string) => boolean }[] = [
  { kind: 'an AWS access key id', pattern: /(?<![A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/, hint: (v) => v.includes('AKIA') || v.includes('ASIA') },
  { kind: 'a private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/, hint: (v) => v.includes('-----BEGIN ') },
  { kind: 'a JSON Web Token', pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\./, hint: (v) => v.includes('eyJ') },
  { kind: 'an Azure SAS signature', pattern: /(?:^|[?&;])sig=[A-Za-z0-9%+/=]{16,}/i, hint: (v) => /sig=/i.test(v) },
  { kind: 'an Azure storage account key', pattern: /AccountKey=[A-Za-z0-9+/]{40,}={0,2}/i, hint: (v) => /AccountKey=/i.test(v) },
  { kind: 'an Entra ID client secret', pattern: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/, hint: (v) => v.includes('Q~') },
  { kind: 'a password in a connection string', pattern: /(?:^|;)\s*(?:password|pwd)\s*=\s*[^;\s]+/i, hint: (v) => v.includes('=') },
  { kind: 'a password in a URL', pattern: /(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,31}:\/\/[^/\s:@]{1,256}:[^/\s@]{1,256}@/i, hint: (v) => v.includes('@') && v.includes('://') },
];

/** Matches every value that some VALUE_PATTERNS hint accepts (and a few more). */
const ANY_HINT = /AKIA|ASIA|-----BEGIN |eyJ|Q~|[=@]/;

const NO_KEYS: ReadonlySet<string> = new Set();

/** A 40-character AWS secret access key: base64 alphabet with mixed case and a digit. */
const AWS_SECRET = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/;

/**
 * Key names that say "secret key". Not a bare `key`: an S3 event's `key` is an object key, a path.
 */
const SECRET_KEY_NAME = /secret|(?:access|private|api|account|signing)_?key/i;

/**
 * A 40-character run that is path segments of a URL or an S3 key/prefix
 * (`bucket/landing/Sales/Region01/Daily/2024`), not a key: it sits in a URL, or it has three or
 * more '/' and no '+'. A random 40-character base64 key has fewer than one '/' on average (about
 * 1 in 40 has three), so the keys this lets pass are few, and values under secret-named keys are
 * reported whatever they look like (SECRET_KEY below).
 */
function isPathRun(run: string, value: string): boolean {
  return value.includes('://') || (!run.includes('+') && run.split('/').length > 3);
}

/** Keys whose value is a secret whatever it looks like. */
const SECRET_KEY = /^(?:password|passwd|pwd|secret|client_?secret|secret_?access_?key|aws_?secret_?access_?key|access_?key|api_?key|account_?key|sas_?token|private_?key|token|session_?token|aws_?session_?token|connection_?string)$/i;

/**
 * Why a string value looks like a credential, or undefined. `pathValued`: the key holds a file
 * path (the config's repoRoot, definition, payloads, mocks).
 */
export function secretKind(value: string, key: string | undefined, pathValued = false): string | undefined {
  // Credentials are short; scanning a huge value in pieces keeps every pattern linear.
  if (value.length > 8192) {
    for (let i = 0; i < value.length; i += 4096) {
      const kind = secretKind(value.slice(i, i + 8192), key, pathValued);
      if (kind) return kind;
    }
    return undefined;
  }
  // The hints are plain substring checks that every match contains, and ANY_HINT is all of them at
  // once: most values (names, ARNs, paths) skip the patterns.
  if (ANY_HINT.test(value)) for (const { kind, pattern, hint } of VALUE_PATTERNS) if (hint(value) && pattern.test(value)) return kind;
  const m = value.length >= 40 ? AWS_SECRET.exec(value) : null;
  // In a path-valued key, a 40-character run of letters, digits and slashes inside a longer value
  // is path segments (`adf-codebase/solution/DeploymentV2/terraform_layer`); only a value that is
  // nothing but such a run is taken for a secret key.
  if (m && !(pathValued && m[0] !== value) && !isPathRun(m[0], value) && /[a-z]/.test(m[0]) && /[A-Z]/.test(m[0]) && /\d/.test(m[0]) && (/[/+]/.test(m[0]) || (key !== undefined && SECRET_KEY_NAME.test(key)))) {
    return 'an AWS secret access key';
  }
  if (key !== undefined && SECRET_KEY.test(key.replace(/[-\s]/g, '_')) && value.trim() !== '') return `a ${key.replace(/[_-]/g, ' ')}`;
  return undefined;
}

/**
 * Reports `inline-secret` on every string value in the tree that looks like a credential.
 * `pathKeys`: keys whose values are file paths, where a secret-key-shaped run inside a longer path
 * is a path, not a secret.
 */
export function checkInlineSecrets(src: SourceText, root: Node, sink: DiagnosticSink, what: string, pathKeys: ReadonlySet<string> = NO_KEYS): void {
  const stack: { node: Node; key: string | undefined }[] = [{ node: root, key: undefined }];
  while (stack.length) {
    const { node, key } = stack.pop()!;
    if (node.type === 'string') {
      const kind = secretKind(node.value as string, key, key !== undefined && pathKeys.has(key));
      if (kind) {
        sink.onNode(
          'inline-secret',
          src,
          node,
          `This value looks like ${kind}. Never put credentials in ${what}: remove it, rotate the credential if it was real, and let the bridge get short-lived tokens (an AWS profile with SSO or a role, Azure sign-in or a managed identity).`,
        );
      }
    } else if (node.type === 'object') {
      for (const prop of node.children ?? []) {
        const k = prop.children?.[0];
        const v = prop.children?.[1];
        if (v) stack.push({ node: v, key: typeof k?.value === 'string' ? k.value : undefined });
      }
    } else if (node.type === 'array') {
      for (const child of node.children ?? []) stack.push({ node: child, key });
    }
  }
}
