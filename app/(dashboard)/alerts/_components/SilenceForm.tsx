"use client";
import { useState, type FormEvent } from "react";
import { errorText } from "@/lib/client/api";
import { useCreateSilenceMutation } from "@/lib/client/alerts";
import type { AlertEventView } from "@/lib/client/types";
import { Field, SelectField } from "@/app/_components/Field";

const SILENCE_FOR = [
  [3_600_000, "1h"],
  [4 * 3_600_000, "4h"],
  [86_400_000, "24h"],
  [7 * 86_400_000, "7d"],
] as const;

/** Mutes one firing event's rule on its host for a while, with a reason; the event goes on being logged. */
export function SilenceForm({ event, ruleName, hostName, onDone }: { event: AlertEventView; ruleName: string; hostName: string; onDone: () => void }) {
  const create = useCreateSilenceMutation();
  const [forMs, setForMs] = useState<number>(SILENCE_FOR[0][0]);
  const [reason, setReason] = useState("");
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate({ ruleId: event.ruleId, hostId: event.hostId, endsAt: new Date(Date.now() + forMs).toISOString(), reason }, { onSuccess: onDone });
  }
  return (
    <form className="inline-form" onSubmit={submit} aria-label={`Silence ${ruleName} on ${hostName}`} noValidate>
      <SelectField<number> label="For" value={forMs} options={SILENCE_FOR} onChange={setForMs} />
      <Field label="Reason" className="field-inline">
        {(p) => <input {...p} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. maintenance" />}
      </Field>
      <button type="submit" className="btn btn-small btn-primary" disabled={create.isPending}>
        Silence
      </button>
      <button type="button" className="btn btn-small" onClick={onDone}>
        Cancel
      </button>
      {create.isError ? <span className="field-error">{errorText(create.error)}</span> : null}
    </form>
  );
}
