/** One notification every channel test sends, so their expectations read alike. */
import { parseCidrList } from "@/lib/net/cidr";
import type { EgressOptions } from "./http";
import type { AlertNotification } from "./types";

export const firing: AlertNotification = {
  state: "firing",
  eventId: "ev-1",
  rule: { id: "r-1", name: "High CPU", kind: "threshold", severity: "critical" },
  host: { id: "h-1", hostname: "web-1" },
  value: 93.5,
  message: "cpuPct 93.5 > 90 for 7m",
  startedAt: new Date("2026-12-01T10:00:00Z"),
  url: "http://localhost:3000/alerts?event=ev-1",
};

/** The allow-list tests use to reach their receivers on 127.0.0.1 (refused by default). */
export const LOOPBACK: EgressOptions = { allow: parseCidrList("127.0.0.0/8").cidrs };
