"use client";
import { useEffect, useState } from "react";

/** "Now" for relative times: starts at the server's render time (no hydration mismatch), then ticks. */
export function useNow(initialNowMs: number, everyMs = 10_000): number {
  const [now, setNow] = useState(initialNowMs);
  useEffect(() => {
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0);
    const t = setInterval(tick, everyMs);
    return () => {
      clearTimeout(first);
      clearInterval(t);
    };
  }, [everyMs]);
  return now;
}
