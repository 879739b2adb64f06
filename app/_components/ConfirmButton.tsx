"use client";
import { useState } from "react";

/**
 * A destructive button that asks once more: the first click offers "Confirm …" and "Cancel".
 * `onConfirm` gets a `done` to call when the action settles, which puts the button back.
 */
export function ConfirmButton({ label, confirmLabel, ariaLabel, onConfirm }: { label: string; confirmLabel: string; ariaLabel: string; onConfirm: (done: () => void) => void }) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming)
    return (
      <button type="button" className="btn btn-small btn-danger" onClick={() => setConfirming(true)} aria-label={ariaLabel}>
        {label}
      </button>
    );
  return (
    <>
      <button type="button" className="btn btn-small btn-danger" onClick={() => onConfirm(() => setConfirming(false))}>
        {confirmLabel}
      </button>
      <button type="button" className="btn btn-small" onClick={() => setConfirming(false)}>
        Cancel
      </button>
    </>
  );
}
