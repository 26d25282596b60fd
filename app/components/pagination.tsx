import { Link } from "@remix-run/react";

/** Page links that work without JavaScript; `href(p)` builds the URL of page p. */
export function Pagination({
  page,
  pageCount,
  href,
}: {
  page: number;
  pageCount: number;
  href: (page: number) => string;
}) {
  if (pageCount <= 1) return null;
  return (
    <nav aria-label="Pagination" className="pagination">
      <ul>
        {page > 1 ? (
          <li>
            <Link to={href(page - 1)} rel="prev">
              Page précédente
            </Link>
          </li>
        ) : null}
        {Array.from({ length: pageCount }, (_, i) => i + 1).map((p) => (
          <li key={p}>
            {p === page ? (
              <span aria-current="page" className="pagination__current">
                <span className="visually-hidden">Page </span>
                {p}
              </span>
            ) : (
              <Link to={href(p)} aria-label={`Page ${p}`}>
                {p}
              </Link>
            )}
          </li>
        ))}
        {page < pageCount ? (
          <li>
            <Link to={href(page + 1)} rel="next">
              Page suivante
            </Link>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
