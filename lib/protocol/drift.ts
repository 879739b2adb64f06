/**
 * The inventory part of a snapshot diff (v1.1): per list section `{added, removed, changed}`,
 * where a changed item carries its natural name, the fields that differ and both versions;
 * the kernel command line as from/to; sysctl by key. Every part is optional: a section without
 * a change is left out, and diffs stored before the sections existed have none.
 */
import { z } from "zod";
import { SnapshotContainerSchema } from "./containers";
import { HardwareItemSchema } from "./hardware";
import { ListeningPortSchema, LocalGroupSchema, LocalUserSchema, ScheduledJobSchema, ServiceSchema, WatchedFileSchema } from "./inventory";

const sectionDiff = <T extends z.ZodType>(item: T) =>
  z.object({
    added: z.array(item),
    removed: z.array(item),
    changed: z.array(z.object({ name: z.string(), fields: z.array(z.string()), from: item, to: item })),
  });

export const SectionsDiffShape = {
  ports: sectionDiff(ListeningPortSchema).optional(),
  users: sectionDiff(LocalUserSchema).optional(),
  groups: sectionDiff(LocalGroupSchema).optional(),
  services: sectionDiff(ServiceSchema).optional(),
  jobs: sectionDiff(ScheduledJobSchema).optional(),
  files: sectionDiff(WatchedFileSchema).optional(),
  containers: sectionDiff(SnapshotContainerSchema).optional(),
  hardware: sectionDiff(HardwareItemSchema).optional(),
  kernelCmdline: z.object({ from: z.string().nullable(), to: z.string().nullable() }).optional(),
  sysctl: z
    .object({
      added: z.array(z.object({ key: z.string(), value: z.string() })),
      removed: z.array(z.object({ key: z.string(), value: z.string() })),
      changed: z.array(z.object({ key: z.string(), from: z.string(), to: z.string() })),
    })
    .optional(),
};
