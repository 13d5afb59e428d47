// API secrets are sealed at rest with AES-256-GCM (node:crypto): a stolen database file or dump holds no
// usable secret without the key, which lives elsewhere (./secret-key.ts). The account id is the
// authenticated data, so a sealed secret copied onto another account's row does not open there.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12; // GCM's standard nonce: random per seal, never reused with a key in practice (2^-32 after 2^32 seals)
const TAG_BYTES = 16;

/** `v1.` + base64url(iv | tag | ciphertext). */
export function seal(key: Buffer, plaintext: string, associated: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(associated, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

export class SecretOpenError extends Error {
  override readonly name = 'SecretOpenError';
}

/** The plaintext, or SecretOpenError when the key (or the associated data) is not the one it was sealed with. */
export function open(key: Buffer, sealed: string, associated: string): string {
  const [version, payload] = sealed.split('.');
  if (version !== VERSION || payload === undefined) throw new SecretOpenError(`a sealed secret of an unknown form (${version ?? ''})`);
  const bytes = Buffer.from(payload, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(associated, 'utf8'));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretOpenError('the secret key does not open the stored secrets (another PERPGUARD_SECRET_KEY or key file than the one they were sealed with?)');
  }
}
