/**
 * `Sample.processNames` (an extension of the v1.1 contract): the distinct names of every
 * process the agent saw in that collection, not only the top ones. `processMissing` rules need
 * it: the top processes by CPU and memory prove that a process runs, never that it does not.
 */
import { z } from "zod";
import { MAX_PROCESS_NAME_CHARS, MAX_PROCESS_NAMES } from "./constants";
import { text } from "./text";

export const ProcessNamesSchema = z
  .array(text(MAX_PROCESS_NAME_CHARS).min(1))
  // A refinement, not .max(), so an over-long list inside a batch still names its field (see ./index.ts).
  .refine((names) => names.length <= MAX_PROCESS_NAMES, `at most ${MAX_PROCESS_NAMES} process names per sample`);
