"use client";
import { useState, type FormEvent } from "react";
import { Field } from "@/app/_components/Field";

export const PRESETS = ["1h", "6h", "24h", "7d", "30d"] as const;
export type Preset = (typeof PRESETS)[number];
export type Range = { kind: "preset"; preset: Preset } | { kind: "custom"; fromMs: number; toMs: number; zoomedFrom?: Preset };

export const PRESET_MS: Record<Preset, number> = { "1h": 3_600_000, "6h": 6 * 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 };

/** <input type="datetime-local"> values, read and written as UTC like every time on the page. */
const toInput = (ms: number) => new Date(ms).toISOString().slice(0, 16);
const fromInput = (v: string) => (v ? Date.parse(`${v}:00Z`) : NaN);

export function RangePicker({ range, onChange }: { range: Range; onChange: (r: Range) => void }) {
  const [custom, setCustom] = useState(range.kind === "custom");
  const [error, setError] = useState<string | null>(null);
  const [fromV, setFromV] = useState(() => toInput(Date.now() - 3_600_000));
  const [toV, setToV] = useState(() => toInput(Date.now()));

  function apply(e: FormEvent) {
    e.preventDefault();
    const fromMs = fromInput(fromV);
    const toMs = fromInput(toV);
    if (Number.isNaN(fromMs) || Number.isNaN(toMs)) return setError("Enter both times.");
    if (fromMs >= toMs) return setError("“From” must be before “To”.");
    setError(null);
    onChange({ kind: "custom", fromMs, toMs });
  }

  const active = range.kind === "preset" ? range.preset : custom ? "custom" : null;
  return (
    <div className="range-bar">
      <div className="seg" role="group" aria-label="Time range">
        {PRESETS.map((p) => (
          <button
            key={p}
            type="button"
            aria-pressed={active === p}
            onClick={() => {
              setCustom(false);
              onChange({ kind: "preset", preset: p });
            }}
          >
            {p}
          </button>
        ))}
        <button
          type="button"
          aria-pressed={active === "custom" || range.kind === "custom"}
          onClick={() => {
            if (range.kind === "custom") {
              setFromV(toInput(range.fromMs));
              setToV(toInput(range.toMs));
            }
            setCustom(true);
          }}
        >
          Custom
        </button>
      </div>
      {custom ? (
        <form className="inline-form" onSubmit={apply} aria-label="Custom time range">
          <Field label="From (UTC)" className="field-inline">
            {(p) => (
              <input {...p} type="datetime-local" value={fromV} onChange={(e) => setFromV(e.target.value)} required />
            )}
          </Field>
          <Field label="To (UTC)" className="field-inline">
            {(p) => (
              <input {...p} type="datetime-local" value={toV} onChange={(e) => setToV(e.target.value)} required />
            )}
          </Field>
          <button type="submit" className="btn btn-small">
            Apply
          </button>
          {error ? <span className="field-error">{error}</span> : null}
        </form>
      ) : null}
      {range.kind === "custom" && range.zoomedFrom ? (
        <button type="button" className="btn btn-small" onClick={() => onChange({ kind: "preset", preset: range.zoomedFrom! })}>
          Reset zoom
        </button>
      ) : null}
    </div>
  );
}
