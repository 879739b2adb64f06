"use client";
import { useId, type ReactNode } from "react";

type ControlProps = { id: string; "aria-invalid"?: true; "aria-describedby"?: string };

/**
 * A labelled form control whose accessible name is just the label (the error is its
 * description, not part of its name), with the API's message for it underneath.
 */
export function Field({ label, error, className, children }: { label: ReactNode; error?: string; className?: string; children: (props: ControlProps) => ReactNode }) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className={`field ${className ?? ""}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, ...(error ? { "aria-invalid": true as const, "aria-describedby": errorId } : {}) })}
      {error ? (
        <span className="field-error" id={errorId}>
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** A labelled `<select>` over a fixed list of [value, label] options. */
export function SelectField<V extends string | number>({
  label,
  value,
  options,
  onChange,
  className = "field-inline",
  error,
  testId,
}: {
  label: ReactNode;
  value: V;
  options: readonly (readonly [V, ReactNode])[];
  onChange: (value: V) => void;
  className?: string;
  error?: string;
  testId?: string;
}) {
  return (
    <Field label={label} className={className} error={error}>
      {(p) => (
        <select
          {...p}
          data-testid={testId}
          value={value}
          // The value is one of the options' own, so mapping it back by position keeps its type.
          onChange={(e) => onChange(options[e.target.selectedIndex]![0])}
        >
          {options.map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
