import { useState } from 'react';
import { useCatalog, useToggleFavourite } from '../api/catalog-queries.js';
import { favouritesFirst, priceLabel, sizeSpecs, smallestFirst } from '../components/catalog-labels.js';
import { ErrorNotice } from '../components/error-notice.js';
import { TableScroll } from '../components/table-scroll.js';

/** A provider's images (searchable; operators mark favourites), sizes with prices, and locations. */
export function ProviderCatalog({ providerId, canEdit }: { providerId: string; canEdit: boolean }) {
  const [search, setSearch] = useState('');
  const images = useCatalog(providerId, 'images', { search });
  const sizes = useCatalog(providerId, 'sizes');
  const locations = useCatalog(providerId, 'locations');
  const favourite = useToggleFavourite(providerId);
  return (
    <>
      <h2 id="images-title">Images</h2>
      <label>Search images <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} /></label>
      <ErrorNotice error={images.error ?? favourite.error} />
      <TableScroll>
        <table aria-labelledby="images-title" aria-busy={images.isFetching}>
          <thead><tr><th scope="col">Favourite</th><th scope="col">Name</th><th scope="col">Id</th></tr></thead>
          <tbody>
            {favouritesFirst(images.data?.items ?? []).map((i) => (
              <tr key={i.id}>
                <td>
                  {canEdit ? (
                    <button type="button" className="link" aria-pressed={i.favourite} aria-label={`Favourite ${i.name}`} disabled={favourite.isPending}
                      onClick={() => favourite.mutate({ imageId: i.id, favourite: !i.favourite })}>{i.favourite ? '★' : '☆'}</button>
                  ) : (i.favourite ? '★' : '')}
                </td>
                <td>{i.name}</td>
                <td><code>{i.id}</code></td>
              </tr>
            ))}
            {images.data?.items.length === 0 && <tr><td colSpan={3}>No images{search ? ' match' : ' yet: refresh the catalog'}.</td></tr>}
          </tbody>
        </table>
      </TableScroll>
      <h2 id="sizes-title">Sizes</h2>
      <ErrorNotice error={sizes.error} />
      <TableScroll>
        <table aria-labelledby="sizes-title">
          <thead><tr><th scope="col">Name</th><th scope="col">Specs</th><th scope="col">Price</th></tr></thead>
          <tbody>
            {smallestFirst(sizes.data?.items ?? []).map((s) => <tr key={s.id}><td>{s.name}</td><td>{sizeSpecs(s) || '—'}</td><td>{priceLabel(s)}</td></tr>)}
          </tbody>
        </table>
      </TableScroll>
      <h2 id="locations-title">Locations</h2>
      <ErrorNotice error={locations.error} />
      <TableScroll>
        <table aria-labelledby="locations-title">
          <thead><tr><th scope="col">Name</th><th scope="col">Id</th></tr></thead>
          <tbody>{locations.data?.items.map((l) => <tr key={l.id}><td>{l.name}</td><td><code>{l.id}</code></td></tr>)}</tbody>
        </table>
      </TableScroll>
    </>
  );
}
