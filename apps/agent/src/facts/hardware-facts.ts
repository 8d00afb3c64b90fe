/**
 * Hardware facts read from sysfs: the block devices (lsblk's disks) and the DMI identity. Only values
 * that stay put between runs, so the facts hash changes only when the hardware does.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface DiskFact {
  name: string;
  sizeBytes: number;
  rotational: boolean;
  model?: string;
}

/** Enough for a large JBOD; keeps a machine with thousands of block devices within one protocol message. */
export const MAX_DISKS = 256;

/** Loop, RAM and compressed-RAM devices are memory or files, not disks. */
const NOT_A_DISK = /^(loop|ram|zram)\d+$/;

async function readText(path: string): Promise<string | undefined> {
  try {
    const text = (await readFile(path, 'utf8')).trim();
    return text === '' ? undefined : text;
  } catch {
    return undefined; // absent, or readable by root only (the DMI serial)
  }
}

/** Each disk under /sys/block; `size` counts 512-byte sectors whatever the device's block size. */
export async function readDisks(sysBlock = '/sys/block'): Promise<DiskFact[]> {
  let names: string[];
  try {
    names = await readdir(sysBlock);
  } catch {
    return [];
  }
  const disks: DiskFact[] = [];
  for (const name of names.sort()) {
    if (NOT_A_DISK.test(name)) continue;
    if (disks.length >= MAX_DISKS) break;
    const sectors = Number(await readText(join(sysBlock, name, 'size')));
    if (!Number.isFinite(sectors) || sectors <= 0) continue; // an empty drive or a detached device
    const model = await readText(join(sysBlock, name, 'device', 'model'));
    disks.push({
      name,
      sizeBytes: sectors * 512,
      rotational: (await readText(join(sysBlock, name, 'queue', 'rotational'))) === '1',
      ...(model ? { model } : {}),
    });
  }
  return disks;
}

export interface DmiFact {
  vendor?: string;
  product?: string;
  serial?: string;
}

/** Vendor, product and serial as the firmware reports them; the serial file is root-only, so often absent. */
export async function readDmi(dmiDir = '/sys/class/dmi/id'): Promise<DmiFact> {
  const [vendor, product, serial] = await Promise.all(
    ['sys_vendor', 'product_name', 'product_serial'].map((f) => readText(join(dmiDir, f))),
  );
  return { ...(vendor ? { vendor } : {}), ...(product ? { product } : {}), ...(serial ? { serial } : {}) };
}
