import { createHash, createPrivateKey, createPublicKey, generateKeyPair, randomUUID, type KeyObject } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '@esc/service-kit';

export interface PublicJwk {
  kty: 'RSA';
  n: string;
  e: string;
  kid: string;
  alg: 'RS256';
  use: 'sig';
}

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: PublicJwk;
}

/** RFC 7638: SHA-256 over the required members in lexicographic order, base64url. */
export function jwkThumbprint(jwk: { e: string; kty: string; n: string }): string {
  const canonical = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  return createHash('sha256').update(canonical, 'utf8').digest('base64url');
}

export function toSigningKey(privateKey: KeyObject): SigningKey {
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw new Error(`The gateway signs with RS256 and needs an RSA private key, not ${privateKey.asymmetricKeyType}.`);
  }
  const bits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) throw new Error(`The RSA signing key has ${bits} bits; RS256 needs at least 2048.`);
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') throw new Error('The RSA public key did not export as a JWK.');
  const kid = jwkThumbprint({ e: jwk.e, kty: 'RSA', n: jwk.n });
  return { kid, privateKey, publicJwk: { kty: 'RSA', n: jwk.n, e: jwk.e, kid, alg: 'RS256', use: 'sig' } };
}

async function readKeyFile(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Loads the signing key, or creates one on first start so that restarts keep the same kid and
 * tokens issued before a restart stay valid. The file appears atomically and is never overwritten,
 * so two gateways starting together end up with the same key.
 */
export async function loadOrCreateSigningKey(file: string, logger?: Logger): Promise<SigningKey> {
  const existing = await readKeyFile(file);
  if (existing !== undefined) {
    const stat = await fs.stat(file);
    if ((stat.mode & 0o077) !== 0) logger?.warn({ file, mode: (stat.mode & 0o777).toString(8) }, 'the signing key file is readable by others; chmod 600 it');
    return toSigningKey(createPrivateKey(existing));
  }

  const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await fs.writeFile(temporary, pem, { mode: 0o600, flag: 'wx' });
  let created = true;
  try {
    await fs.link(temporary, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    created = false;
  } finally {
    await fs.unlink(temporary);
  }
  if (!created) return loadOrCreateSigningKey(file, logger);
  const key = toSigningKey(privateKey);
  logger?.info({ file, kid: key.kid }, 'generated a new signing key');
  return key;
}
