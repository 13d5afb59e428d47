// The key that seals API secrets (./secret-box.ts): PERPGUARD_SECRET_KEY (64 hex digits, what several
// servers sharing one PostgreSQL database all set), else a key file. For a SQLite store the key file
// defaults to the database's path + ".key", beside it, created on first use with mode 0600 (owner read and
// write only); a key file that others may read is refused, as ssh refuses such a private key.
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { InputError } from '../schema/input-error.ts';
import type { StoreLocation } from './connection.ts';

export const SECRET_KEY_ENV = 'PERPGUARD_SECRET_KEY';
const KEY_TEXT = /^[0-9a-fA-F]{64}$/;

/** Where the key comes from for a store at `location`: the environment, the given file, or the default file. */
export function secretKeySource(location: StoreLocation, env: Readonly<Record<string, string | undefined>>, keyFile?: string): { env: string } | { file: string } {
  const fromEnv = env[SECRET_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return { env: fromEnv };
  if (keyFile !== undefined) return { file: keyFile };
  if (location.kind === 'sqlite' && location.path !== ':memory:') return { file: `${location.path}.key` };
  // a PostgreSQL store may be shared by several machines: one file beside no database would not be shared
  throw new InputError(SECRET_KEY_ENV, 'must be set (64 hex digits, e.g. from `openssl rand -hex 32`) for a PostgreSQL or in-memory store, or give a key file');
}

/** The 32-byte key; a missing key file is created (mode 0600). Never prints or logs the key. */
export function loadSecretKey(source: { env: string } | { file: string }): Buffer {
  if ('env' in source) {
    if (!KEY_TEXT.test(source.env)) throw new InputError(SECRET_KEY_ENV, 'must be 64 hex digits (32 bytes)');
    return Buffer.from(source.env, 'hex');
  }
  return readOrCreate(source.file);
}

function readOrCreate(file: string): Buffer {
  if (existsSync(file)) return readKeyFile(file);
  // written whole to a private temporary file, then linked into place: link fails if the name exists, so
  // two processes starting at once agree on one key and neither can read a half-written file
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const key = randomBytes(32);
  try {
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(fd, `${key.toString('hex')}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(temporary, file);
  } catch (caught) {
    if ((caught as NodeJS.ErrnoException).code === 'EEXIST') return readKeyFile(file);
    throw new InputError('key file', `cannot create ${file}: ${(caught as Error).message}`);
  } finally {
    rmSync(temporary, { force: true });
  }
  return key;
}

function readKeyFile(file: string): Buffer {
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) throw new InputError('key file', `${file} may be read by others (mode ${mode.toString(8)}): chmod 600 it`);
  const text = readFileSync(file, 'utf8').trim();
  if (!KEY_TEXT.test(text)) throw new InputError('key file', `${file} must hold 64 hex digits`);
  return Buffer.from(text, 'hex');
}
