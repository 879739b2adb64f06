"use client";
import { useEffect, useState } from "react";
import { errorText } from "@/lib/client/api";
import { useSelectorPreviewQuery } from "@/lib/client/hosts";

const SHOWN = 12;

/** The hosts a label selector matches now, as the server sees it (its 400 names the position of a mistake). */
export function SelectorPreview({ selector }: { selector: string }) {
  const [settled, setSettled] = useState(selector);
  useEffect(() => {
    const t = setTimeout(() => setSettled(selector), 300);
    return () => clearTimeout(t);
  }, [selector]);
  const preview = useSelectorPreviewQuery(settled);
  if (settled.trim() === "") return null;
  if (preview.isError) {
    return (
      <p className="field-error" data-testid="selector-preview-error" role="status">
        {errorText(preview.error)}
      </p>
    );
  }
  if (!preview.data) return <p className="muted small">Looking for matching hosts…</p>;
  const hosts = preview.data;
  return (
    <p className="small" data-testid="selector-preview" role="status">
      {hosts.length === 0 ? (
        <span className="muted">No host matches this selector now.</span>
      ) : (
        <>
          <strong>
            {hosts.length === 1 ? "1 host matches now:" : `${hosts.length} hosts match now:`}
          </strong>{" "}
          {hosts
            .slice(0, SHOWN)
            .map((h) => h.hostname)
            .join(", ")}
          {hosts.length > SHOWN ? ` and ${hosts.length - SHOWN} more` : ""}
        </>
      )}
    </p>
  );
}
