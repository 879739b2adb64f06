"use client";
import { useCallback, useState } from "react";

/**
 * One query parameter of the page's URL as state: starts from what the server rendered with
 * (the page reads the same parameter), and every change replaces the URL so a reload or a shared
 * link shows the same view. An empty value removes the parameter.
 */
export function useUrlParam(name: string, initial: string): [string, (v: string) => void] {
  const [value, setValue] = useState(initial);
  const set = useCallback(
    (v: string) => {
      setValue(v);
      const url = new URL(window.location.href);
      if (v) url.searchParams.set(name, v);
      else url.searchParams.delete(name);
      window.history.replaceState(window.history.state, "", url);
    },
    [name],
  );
  return [value, set];
}
