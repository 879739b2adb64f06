import { sql } from "drizzle-orm";
import { getContext } from "@/lib/context";
import { jsonOf } from "@/lib/http";
import { HealthSchema } from "@/lib/health";
import { VERSION } from "@/lib/version";

export const dynamic = "force-dynamic";

/** Not behind route(): a database that cannot open must still answer 503 here. ("GET /api/health": public) */
export async function GET() {
  try {
    const ctx = await getContext();
    await ctx.db.execute(sql`select 1`);
    return jsonOf(HealthSchema, { status: "ok", db: "ok", version: VERSION, database: ctx.database.kind, timescale: ctx.database.timescaleStatus.state });
  } catch {
    return jsonOf(HealthSchema, { status: "error", db: "unavailable", version: VERSION }, 503, { "retry-after": "5" });
  }
}
