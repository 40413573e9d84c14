import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The sandbox's stand-in for Entra ID: it signs the managed-identity tokens the factory sends,
 * so the gateway emulation can check audience, issuer and expiry as API Gateway's JWT authorizer
 * does. HS256 with a key made at start; the tokens mean nothing outside this process.
 */
export class SandboxTokenIssuer {
  private readonly key = randomBytes(32);

  constructor(private readonly now: () => number = Date.now) {}

  issue(claims: { aud: string; iss: string; oid?: string; lifetimeSeconds?: number }): string {
    const iat = Math.floor(this.now() / 1000);
    const payload = { aud: claims.aud, iss: claims.iss, oid: claims.oid, sub: claims.oid, iat, nbf: iat, exp: iat + (claims.lifetimeSeconds ?? 3600), idtyp: 'app' };
    const head = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const body = base64url(JSON.stringify(payload));
    return `${head}.${body}.${this.sign(`${head}.${body}`)}`;
  }

  /** The token's claims when its signature is ours and it is within its lifetime; else why not. */
  verify(token: string): { ok: true; claims: Record<string, unknown> } | { ok: false; reason: string } {
    const parts = token.split('.');
    if (parts.length !== 3) return { ok: false, reason: 'not a JWT' };
    const expected = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`));
    const actual = Buffer.from(parts[2]);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return { ok: false, reason: 'signature does not verify' };
    let claims: Record<string, unknown>;
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'claims are not JSON' };
    }
    const now = Math.floor(this.now() / 1000);
    if (typeof claims.exp === 'number' && claims.exp < now) return { ok: false, reason: 'token expired' };
    return { ok: true, claims };
  }

  private sign(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }
}

function base64url(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64url');
}
