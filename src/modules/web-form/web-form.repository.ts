import type { Insertable } from "kysely";
import type { Executor } from "../../platform/db/database.ts";
import type { WebFormSubmissionsTable } from "./web-form.tables.ts";
import "./web-form.tables.ts";

export const webFormRepository = {
  async countSince(db: Executor, ip: string, since: Date): Promise<number> {
    const row = await db
      .selectFrom("web_form_submissions")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("ip", "=", ip)
      .where("created_at", ">=", since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  async insert(db: Executor, row: Insertable<WebFormSubmissionsTable>): Promise<void> {
    await db.insertInto("web_form_submissions").values(row).execute();
  },

  async counts(db: Executor, since: Date): Promise<{ created: number; spam: number }> {
    const rows = await db
      .selectFrom("web_form_submissions")
      .select(["outcome", (eb) => eb.fn.countAll<string>().as("n")])
      .where("created_at", ">=", since)
      .groupBy("outcome")
      .execute();
    const out = { created: 0, spam: 0 };
    for (const r of rows) out[r.outcome] = Number(r.n);
    return out;
  },
};
