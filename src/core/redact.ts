import { VALUE_PATTERNS } from './rules/secrets';

/**
 * One redaction for every printer (lint messages in text, JSON and SARIF; run logs; the editor's
 * output): values that look like credentials are replaced by a marker naming their kind, so a CI
 * log or an uploaded code-scanning result never carries a SAS signature or a JWT.
 *
 * Built on the `inline-secret` rule's VALUE_PATTERNS (what a credential looks like), each widened
 * here to the whole credential: a JWT through its signature, a private key through its END line,
 * a SAS signature or account key to the end of its value. The part that says where the secret was
 * (`sig=`, `AccountKey=`, `"password": `, `https://user:`) is kept so the line still makes sense.
 */
export function redactSecrets(text: string): string {
  // Nothing that could be a credential: the common case, one scan. Every quantifier below is
  // bounded: an unbounded one backtracks over a megabytes-long run until the regexp stack overflows.
  if (!ANY_SECRET_HINT.test(text)) return text;
  let out = text;
  for (const { kind, pattern, keep } of REDACTIONS) {
    pattern.lastIndex = 0;
    out = out.replace(pattern, (...args: unknown[]) => {
      const groups = args[args.length - 1] as Record<string, string | undefined> | undefined;
      return keep === 'prefix' ? `${groups?.prefix ?? ''}«redacted ${kind}»${groups?.suffix ?? ''}` : `«redacted ${kind}»`;
    });
  }
  // Whatever the inline-secret rule would still flag (a shape not widened above) goes too.
  for (const { kind, pattern } of GLOBAL_VALUE_PATTERNS) {
    pattern.lastIndex = 0;
    try {
      out = out.replace(pattern, (match) => (match.includes('«redacted') ? match : `«redacted ${kind.replace(/^an? /, '')}»`));
    } catch (e) {
      // An unbounded pattern on a megabytes-long run overflows the regexp stack; the bounded
      // redactions above already covered every kind.
      if (!(e instanceof RangeError)) throw e;
    }
  }
  return out;
}

const GLOBAL_VALUE_PATTERNS = VALUE_PATTERNS.map(({ kind, pattern }) => ({ kind, pattern: new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`) }));

interface Redaction {
  kind: string;
  /** Global; named groups `prefix` (and `suffix`) are kept when `keep` is 'prefix'. */
  pattern: RegExp;
  keep: 'prefix' | 'none';
}

/** Key names whose value is a secret whatever it looks like (the inline-secret rule's list, as a pattern). */
const SECRET_KEY_NAME = String.raw`(?:password|passwd|pwd|secret|client[_-]?secret|secret[_-]?access[_-]?key|aws[_-]?secret[_-]?access[_-]?key|access[_-]?key|api[_-]?key|account[_-]?key|sas[_-]?token|private[_-]?key|token|access[_-]?token|refresh[_-]?token|id[_-]?token|session[_-]?token|aws[_-]?session[_-]?token|connection[_-]?string|shared[_-]?access[_-]?key)`;

// `(?!\u00AB)`: not a value already redacted («redacted …»). Written as an escape: the bundles stay
// ASCII (scripts/build.mjs says why).
const REDACTIONS: Redaction[] = [
  // A private key: BEGIN line, body and END line (or the rest of the text when the END is missing).
  { kind: 'private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]{0,16384}?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|[\s\S]{0,16384})/g, keep: 'none' },
  // A JWT: header, payload and signature (the VALUE_PATTERNS match stops after the payload's dot).
  { kind: 'JSON Web Token', pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,8192}\.eyJ[A-Za-z0-9_-]{8,65536}\.[A-Za-z0-9_-]{0,8192}/g, keep: 'none' },
  // "Bearer <token>" whatever the token looks like.
  { kind: 'bearer token', pattern: /(?<prefix>\bBearer\s+)(?!\u00AB)[A-Za-z0-9._~+/=-]{8,65536}/g, keep: 'prefix' },
  // A SAS signature: the sig= value, %-escapes and all.
  { kind: 'Azure SAS signature', pattern: /(?<prefix>(?:^|[?&;\s"'])sig=)[A-Za-z0-9%+/=_-]{16,4096}/gi, keep: 'prefix' },
  // Account and shared access keys in connection strings.
  { kind: 'Azure storage account key', pattern: /(?<prefix>AccountKey=)[A-Za-z0-9+/]{20,4096}={0,2}/gi, keep: 'prefix' },
  { kind: 'shared access key', pattern: /(?<prefix>SharedAccessKey=)[A-Za-z0-9+/]{20,4096}={0,2}/gi, keep: 'prefix' },
  { kind: 'AWS access key id', pattern: /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g, keep: 'none' },
  // A 40-character AWS secret access key: base64 with both cases, a digit and a / or +.
  { kind: 'AWS secret access key', pattern: /(?<![A-Za-z0-9/+])(?=[A-Za-z0-9/+]{0,39}[a-z])(?=[A-Za-z0-9/+]{0,39}[A-Z])(?=[A-Za-z0-9/+]{0,39}\d)(?=[A-Za-z0-9/+]{0,39}[/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g, keep: 'none' },
  { kind: 'Entra ID client secret', pattern: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g, keep: 'none' },
  // A password in a URL: keep scheme and user, hide the password.
  { kind: 'password', pattern: /(?<prefix>(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,31}:\/\/[^/\s:@]{1,256}:)[^/\s@]{1,256}(?<suffix>@)/gi, keep: 'prefix' },
  // key=value in a connection string or query (password=…; pwd=…), up to ; & or white space.
  { kind: 'password', pattern: /(?<prefix>(?:^|[;?&\s"'])(?:password|pwd)\s*=\s*)(?!\u00AB)[^;&\s"']{1,4096}/gi, keep: 'prefix' },
  // Any other secret-named key=value (?api_key=…&, token=…; in a query, a connection string, an env line).
  { kind: 'secret', pattern: new RegExp(String.raw`(?<prefix>(?:^|[;?&\s"'])${SECRET_KEY_NAME}\s*=\s*)(?!\u00AB)[^;&\s"']{1,4096}`, 'gi'), keep: 'prefix' },
  // "password": "…" (JSON, as run output prints payloads and parameters) — any secret-named key.
  { kind: 'secret', pattern: new RegExp(String.raw`(?<prefix>"${SECRET_KEY_NAME}"\s*:\s*")(?!\u00AB)(?:[^"\\]|\\.){1,4096}(?<suffix>")`, 'gi'), keep: 'prefix' },
];

/** A plain substring every redaction needs (lower-cased text), checked before any pattern runs. */
const ANY_SECRET_HINT = /eyj|bearer|sig=|accountkey=|sharedaccesskey=|akia|asia|q~|:\/\/|password|pwd|secret|token|key|-----begin|[A-Za-z0-9/+]{40}/i;
