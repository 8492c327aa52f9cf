import { useMemo } from "react";
import { useStaffUsers } from "../customers/api";
import { useQueues, useTeams } from "../pages/cases/api";
import { useCalendars } from "../sla/api";
import type { TNames } from "./rule-model";

/** Names of the queues, teams, staff and calendars rules refer to (all cached config lists). */
export function useRoutingNames(): TNames & { ready: boolean } {
  const queues = useQueues();
  const teams = useTeams();
  const users = useStaffUsers();
  const calendars = useCalendars();
  return useMemo(
    () => ({
      queue: (id: string) => queues.byId.get(id)?.name,
      team: (id: string) => teams.byId.get(id)?.name,
      user: (id: string) => users.byId.get(id)?.name,
      calendar: (id: string) => calendars.byId.get(id)?.name,
      ready: !queues.isPending && !teams.isPending && !users.isPending && !calendars.isPending,
    }),
    [
      queues.byId,
      teams.byId,
      users.byId,
      calendars.byId,
      queues.isPending,
      teams.isPending,
      users.isPending,
      calendars.isPending,
    ],
  );
}
