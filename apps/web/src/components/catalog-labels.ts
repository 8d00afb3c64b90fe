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

/** Favourites first, then by name: the images an operator picks again and again come on top. */
export const favouritesFirst = <T extends { favourite: boolean; name: string }>(items: T[]): T[] =>
  [...items].sort((a, b) => Number(b.favourite) - Number(a.favourite) || a.name.localeCompare(b.name));
