/** The caller's key as presented on a request, and the one way keys are compared. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The caller's key from `Authorization: Bearer`, `x-api-key` or `api-key` (what OpenAI, Anthropic and Azure clients send). */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (auth) {
    const match = /^Bearer\s+(.+)$/i.exec(auth.trim());
    return match ? match[1]!.trim() : auth.trim();
  }
  const key = headers['x-api-key'] ?? headers['api-key'];
  return (Array.isArray(key) ? key[0] : key)?.trim() || undefined;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Compares in constant time, over digests so lengths leak nothing either. */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}
