import type { ReactNode } from "react";

/** A titled box with the three states every panel has besides its content. */
export function Panel({ title, actions, children, id, className }: { title: ReactNode; actions?: ReactNode; children: ReactNode; id?: string; className?: string }) {
  const headingId = id ? `${id}-title` : undefined;
  return (
    <section className={`panel ${className ?? ""}`} id={id} aria-labelledby={headingId}>
      <header className="panel-head">
        <h2 id={headingId}>{title}</h2>
        {actions ? <div className="panel-actions">{actions}</div> : null}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}

export const Loading = ({ what = "Loading…" }: { what?: string }) => (
  <p className="state state-loading" aria-busy="true">
    {what}
  </p>
);

export const Empty = ({ children }: { children: ReactNode }) => <div className="state state-empty">{children}</div>;

export const ErrorState = ({ children, onRetry }: { children: ReactNode; onRetry?: () => void }) => (
  <div className="state state-error" data-testid="error-state">
    <span>{children}</span>
    {onRetry ? (
      <button type="button" className="btn btn-small" onClick={onRetry}>
        Retry
      </button>
    ) : null}
  </div>
);
