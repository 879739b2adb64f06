"use client";
import { useEffect, useState } from "react";

/** "Now" for relative times: starts at the server's render time (no hydration mismatch), then ticks. */
export function useNow(initialNowMs: number, everyMs = 10_000): number {
  const [now, setNow] = useState(initialNowMs);
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}
