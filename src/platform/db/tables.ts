/**
 * The Kysely view of every table. Each module declares its own tables in its
 * `*.tables.ts` file by augmenting this interface, so the schema of a capability lives
 * beside its SQL:
 *
 *   declare module "../../platform/db/tables.ts" { interface Tables { accounts: AccountsTable } }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging
export interface Tables {}
