/** "Previous" · "Page N of M" · "Next" under a paged table. */
export function Pager({ page, totalPages, onPage, busy = false }: { page: number; totalPages: number; onPage: (page: number) => void; busy?: boolean }) {
  const pages = Math.max(1, totalPages);
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="button small" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span aria-live="polite" aria-busy={busy || undefined}>
        Page {Math.min(page, pages)} of {pages}
      </span>
      <button type="button" className="button small" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}
