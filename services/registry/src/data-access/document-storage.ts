import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DocumentStorage } from '../domain/deps';

export class LocalDiskStorage implements DocumentStorage {
  constructor(private readonly root: string) {}

  private path(key: string): string {
    if (!/^[a-f0-9]{64}$/.test(key)) throw new Error(`Invalid storage key ${key}`);
    return join(this.root, key.slice(0, 2), key);
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    // Write then rename, so a reader never sees half a file.
    const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temp, bytes);
    await rename(temp, target);
  }

  get(key: string): Promise<Buffer> {
    return readFile(this.path(key));
  }
}
