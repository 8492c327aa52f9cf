import { CompiledQuery, type KyselyPlugin } from "kysely";
import { type Container, createContainer } from "../../src/container.ts";
import type { CaseQuery } from "../../src/modules/cases/cases.service.ts";
import type { Actor } from "../../src/platform/auth/actor.ts";
import type { Database } from "../../src/platform/db/database.ts";
import { createLogger } from "../../src/platform/logger.ts";

/**
 * EXPLAIN (ANALYZE, BUFFERS) of exactly the SQL a case list runs: the query is captured from
 * the cases service itself (a Kysely plugin records every compiled statement) rather than
 * rewritten here, so the plan shown is the plan the API gets.
 */
export async function explainCaseList(
  c: Container,
  db: Database,
  actor: Actor,
  query: CaseQuery,
): Promise<{ sql: string; plan: string }> {
  const captured: CompiledQuery[] = [];
  const executor = db.kysely.getExecutor();
  const capture: KyselyPlugin = {
    transformQuery(args) {
      captured.push(executor.compileQuery(args.node, args.queryId));
      return args.node;
    },
    async transformResult(args) {
      return args.result;
    },
  };
  const watched = createContainer({
    config: c.config,
    db: { ...db, kysely: db.kysely.withPlugin(capture) },
    clock: c.clock,
    log: createLogger("silent"),
  });
  await watched.cases.list(actor, query);
  // The list is the statement that reads cases with a limit (the others read the statuses).
  const list = captured.find((q) => /from "cases"/.test(q.sql) && /\blimit\b/.test(q.sql));
  if (!list) throw new Error("the case list ran no query on cases");
  const result = await db.kysely.executeQuery<{ "QUERY PLAN": string }>(
    CompiledQuery.raw(`explain (analyze, buffers) ${list.sql}`, [...list.parameters]),
  );
  return { sql: inline(list), plan: result.rows.map((r) => r["QUERY PLAN"]).join("\n") };
}

/** The statement with its parameters written in, for a reader (not for running). */
function inline(q: CompiledQuery): string {
  return q.sql.replace(/\$(\d+)/g, (_, i: string) => {
    const v = q.parameters[Number(i) - 1];
    if (typeof v === "number") return String(v);
    if (Array.isArray(v)) return `'{${v.join(",")}}'`;
    return `'${String(v).replaceAll("'", "''")}'`;
  });
}
