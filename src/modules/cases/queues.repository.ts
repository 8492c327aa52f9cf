import { type Selectable, sql } from "kysely";
import type { Executor } from "../../platform/db/database.ts";
import type { QueuesTable } from "./cases.tables.ts";
import "./cases.tables.ts";

export type QueueRow = Selectable<QueuesTable>;

/** All SQL about queues. */
export const queuesRepository = {
  async list(db: Executor): Promise<QueueRow[]> {
    return db.selectFrom("queues").selectAll().orderBy(sql`lower(name)`).orderBy("id").execute();
  },

  async find(db: Executor, id: string): Promise<QueueRow | undefined> {
    return db.selectFrom("queues").selectAll().where("id", "=", id).executeTakeFirst();
  },

  async findByName(db: Executor, name: string): Promise<QueueRow | undefined> {
    return db
      .selectFrom("queues")
      .selectAll()
      .where(sql`lower(name)`, "=", name.toLowerCase())
      .executeTakeFirst();
  },

  async insert(db: Executor, row: QueueRow): Promise<void> {
    await db.insertInto("queues").values(row).execute();
  },

  async update(db: Executor, id: string, set: Partial<Omit<QueueRow, "id">>): Promise<void> {
    await db.updateTable("queues").set(set).where("id", "=", id).execute();
  },

  async delete(db: Executor, id: string): Promise<void> {
    await db.deleteFrom("queues").where("id", "=", id).execute();
  },
};
