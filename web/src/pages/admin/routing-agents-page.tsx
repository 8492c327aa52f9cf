import { Badge, Group, Loader, NumberInput, Progress, Select, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconUsers } from "@tabler/icons-react";
import { useState } from "react";
import { ApiError } from "../../api/problem";
import { canAdminister, useCurrentUser } from "../../auth/session";
import { useAnnounce } from "../../components/live-region";
import { PageMessage } from "../../components/page";
import { presenceColor, presenceLabel } from "../../components/presence";
import { type TAgentLoad, useAgentLoads, useSetCapacity, useSetSchedule } from "../../routing/api";
import routing from "../../routing/routing.module.css";
import { useCalendars } from "../../sla/api";
import { useTeams } from "../cases/api";
import classes from "./admin.module.css";
import { AdminFrame } from "./admin-page";

const reasonLabel: Record<string, string> = {
  away: "Away",
  offline: "Offline",
  "outside hours": "Outside working hours",
  "at capacity": "At capacity",
};

/** The agent load board: open cases against capacity, presence, skills and hours, live. */
export function RoutingAgentsPage() {
  const [teamId, setTeamId] = useState<string | null>(null);
  const { agents, isPending, isError, error, dataUpdatedAt } = useAgentLoads(teamId);
  const teams = useTeams();
  const accepting = agents.filter((a) => a.acceptsCases).length;
  const open = agents.reduce((sum, a) => sum + a.openCases, 0);
  const capacity = agents.reduce((sum, a) => sum + a.capacity, 0);

  return (
    <AdminFrame
      title="Agent load"
      actions={
        <Select
          aria-label="Team"
          placeholder="All teams"
          data={(teams.data?.items ?? []).map((team) => ({ value: team.id, label: team.name }))}
          value={teamId}
          onChange={setTeamId}
          clearable
          size="xs"
          w={200}
        />
      }
    >
      <p className={classes.lead}>
        Open cases each agent holds against their capacity (cases waiting on the customer or on hold do not
        count), whether they get new cases now, and why not. Updates live.
      </p>
      {isPending ? (
        <Loader size="sm" aria-label="Loading the load board" />
      ) : isError ? (
        <Text role="alert">The load board could not be loaded: {error.message}</Text>
      ) : agents.length === 0 ? (
        <PageMessage icon={IconUsers} title="Nobody here works cases">
          Agents, managers and admins in this team appear here.
        </PageMessage>
      ) : (
        <>
          <div className={routing.summary} aria-live="polite">
            <span>
              <strong>{accepting}</strong> of {agents.length} taking cases
            </span>
            <span>
              <strong>{open}</strong> open of {capacity} capacity
            </span>
            <span className={classes.muted} title={new Date(dataUpdatedAt).toISOString()}>
              as of {new Date(dataUpdatedAt).toLocaleTimeString()}
            </span>
          </div>
          <ul className={routing.board} aria-label="Agents">
            {agents.map((agent) => (
              <AgentCard key={agent.id} agent={agent} />
            ))}
          </ul>
        </>
      )}
    </AdminFrame>
  );
}

function AgentCard({ agent }: { agent: TAgentLoad }) {
  const me = useCurrentUser();
  const managers = canAdminister(me.role);
  const { calendars } = useCalendars();
  const setCapacity = useSetCapacity();
  const setSchedule = useSetSchedule();
  const announce = useAnnounce();
  const [capacity, setCapacityDraft] = useState<number | string>(agent.capacity);
  const share = agent.capacity > 0 ? Math.min(100, (agent.openCases / agent.capacity) * 100) : 100;
  const full = agent.openCases >= agent.capacity;
  const fail = (what: string) => (failure: unknown) =>
    notifications.show({
      color: "red",
      title: `${what} could not be changed`,
      message: failure instanceof ApiError ? failure.message : "Try again.",
    });

  function saveCapacity() {
    const value = typeof capacity === "number" ? capacity : Number(capacity);
    if (!Number.isInteger(value) || value < 0 || value === agent.capacity) {
      setCapacityDraft(agent.capacity);
      return;
    }
    setCapacity.mutate(
      { userId: agent.id, capacity: value },
      { onSuccess: () => announce(`${agent.name}'s capacity is now ${value}`), onError: fail("Capacity") },
    );
  }

  return (
    <li className={routing.agent} data-full={full ? "" : undefined} data-testid="agent-load">
      <div className={routing.agentHead}>
        <span className={routing.agentName} title={agent.name}>
          {agent.name}
        </span>
        <Text size="xs" c="gray.8" style={{ whiteSpace: "nowrap" }}>
          <span className={routing.dot} style={{ background: presenceColor[agent.status] }} aria-hidden />
          {presenceLabel[agent.status]}
        </Text>
      </div>
      <div>
        <div className={routing.loadLine}>
          <span>
            {agent.openCases} of {agent.capacity} open
          </span>
          <span className={classes.muted}>
            {agent.pausedCases > 0 ? `${agent.pausedCases} waiting · ` : ""}load {agent.load}
          </span>
        </div>
        <Progress
          value={share}
          color={full ? "orange" : share > 75 ? "yellow" : "keep"}
          size="md"
          mt={4}
          aria-label={`${agent.name}: ${agent.openCases} of ${agent.capacity} open cases`}
        />
      </div>
      <Group gap={6}>
        {agent.acceptsCases ? (
          <Badge size="sm" variant="light" color="green">
            Taking cases
          </Badge>
        ) : (
          <Badge size="sm" variant="light" color="gray">
            {reasonLabel[agent.reason ?? ""] ?? agent.reason ?? "Not taking cases"}
          </Badge>
        )}
      </Group>
      {agent.skills.length > 0 ? (
        <div className={routing.skills}>
          {agent.skills.map((skill) => (
            <Badge key={skill} size="xs" variant="outline" color="gray" tt="none">
              {skill}
            </Badge>
          ))}
        </div>
      ) : null}
      {managers ? (
        <Group gap="xs" grow align="flex-end">
          <NumberInput
            size="xs"
            label="Capacity"
            min={0}
            max={1000}
            allowDecimal={false}
            allowNegative={false}
            value={capacity}
            onChange={setCapacityDraft}
            onBlur={saveCapacity}
            onKeyDown={(event) => {
              if (event.key === "Enter") saveCapacity();
            }}
          />
          <Select
            size="xs"
            label="Working hours"
            placeholder="Any time"
            data={calendars.map((cal) => ({ value: cal.id, label: cal.name }))}
            value={agent.calendarId}
            onChange={(value) =>
              setSchedule.mutate(
                { userId: agent.id, calendarId: value },
                {
                  onSuccess: () =>
                    announce(`${agent.name} works ${value ? "the calendar's hours" : "whenever available"}`),
                  onError: fail("Working hours"),
                },
              )
            }
            clearable
          />
        </Group>
      ) : null}
    </li>
  );
}
