import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const VERSION = 'v1';

/** AES-256-GCM sealing of secrets at rest; output is `v1.<iv>.<tag>.<ciphertext>` in base64url. */
export class SecretBox {
  readonly #key: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length < 32) throw new Error('Secret key must be at least 32 bytes');
    this.#key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'overmind secrets v1', 32));
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('Sealed secret has an unknown format');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  sealJson(value: unknown): string {
    return this.seal(JSON.stringify(value));
  }

  openJson<T>(sealed: string): T {
    return JSON.parse(this.open(sealed)) as T;
  }
}

/**
 * The master key: OVERMIND_SECRET_KEY when set, else `home/secret.key`, generated with mode 0600
 * on first start. Every process that shares a database must share this key.
 */
export async function loadMasterKey(secretKey: string | undefined, home: string): Promise<Buffer> {
  if (secretKey) return Buffer.from(secretKey, 'utf8');
  const file = join(home, 'secret.key');
  if (!existsSync(file)) {
    await mkdir(home, { recursive: true, mode: 0o755 });
    await writeFile(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' }).catch((err) => {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    });
  }
  return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
}

/** Derives an independent key for another purpose (e.g. signing JWTs) from the master key. */
export function deriveKey(masterKey: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `overmind ${purpose}`, 32));
}
