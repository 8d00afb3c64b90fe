/** Catalog rows keep the driver's fields in `data`; these read the ones the console shows. */
type Item = { name: string; data: Record<string, unknown> };

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function priceLabel(size: Item): string {
  const hourly = num(size.data.priceHourly);
  const monthly = num(size.data.priceMonthly);
  if (hourly === undefined && monthly === undefined) return 'price unknown';
  return [hourly === undefined ? '' : `$${hourly}/h`, monthly === undefined ? '' : `$${monthly}/mo`].filter(Boolean).join(', ');
}

export function sizeSpecs(size: Item): string {
  const cpus = num(size.data.cpus);
  const ram = num(size.data.ramMb);
  const disk = num(size.data.diskGb);
  return [cpus && `${cpus} vCPU`, ram && `${ram >= 1024 ? `${ram / 1024} GB` : `${ram} MB`} RAM`, disk && `${disk} GB disk`].filter(Boolean).join(', ');
}

/** Smallest first: by vCPUs, then memory, then price; a size that does not say comes after those that do, then by name. */
export function smallestFirst<T extends Item>(sizes: T[]): T[] {
  const keys = (s: Item) => [num(s.data.cpus), num(s.data.ramMb), num(s.data.priceHourly) ?? num(s.data.priceMonthly)];
  const byKey = (a: number | undefined, b: number | undefined) => (a === b ? 0 : a === undefined ? 1 : b === undefined ? -1 : a - b);
  return [...sizes].sort((a, b) => {
    const [ka, kb] = [keys(a), keys(b)];
    return byKey(ka[0], kb[0]) || byKey(ka[1], kb[1]) || byKey(ka[2], kb[2]) || a.name.localeCompare(b.name);
  });
}

/** Favourites first, then by name: the images an operator picks again and again come on top. */
export const favouritesFirst = <T extends { favourite: boolean; name: string }>(items: T[]): T[] =>
  [...items].sort((a, b) => Number(b.favourite) - Number(a.favourite) || a.name.localeCompare(b.name));
