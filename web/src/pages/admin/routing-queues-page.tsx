import { Loader, Select, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconStack2 } from "@tabler/icons-react";
import { ApiError } from "../../api/problem";
import { useAnnounce } from "../../components/live-region";
import { PageMessage } from "../../components/page";
import {
  STRATEGIES,
  strategyHelp,
  strategyLabel,
  type TQueueSummary,
  type TStrategy,
  useQueueSummaries,
  useSetStrategy,
} from "../../routing/api";
import { useTeams } from "../cases/api";
import { relativeTime } from "../cases/case-format";
import classes from "./admin.module.css";
import { AdminFrame } from "./admin-page";

/** Each queue's assignment strategy, with what waits in it for an owner. */
export function RoutingQueuesPage() {
  const { queues, isPending, isError, error } = useQueueSummaries();
  const teams = useTeams();
  const setStrategy = useSetStrategy();
  const announce = useAnnounce();

  function change(queue: TQueueSummary, strategy: TStrategy) {
    setStrategy.mutate(
      { queueId: queue.queueId, strategy },
      {
        onSuccess: () => announce(`${queue.name} now assigns ${strategyLabel[strategy].toLowerCase()}`),
        onError: (failure) =>
          notifications.show({
            color: "red",
            title: `${queue.name} could not be changed`,
            message: failure instanceof ApiError ? failure.message : "Try again.",
          }),
      },
    );
  }

  return (
    <AdminFrame title="Queue assignment">
      <p className={classes.lead}>
        How each queue hands its cases to the agents of its team. Only available agents inside their working
        hours and below their capacity get new cases; the rest wait in the queue and go out as soon as someone
        frees up. Switching a queue on hands out what is waiting at once.
      </p>
      <ul className={classes.lead} style={{ paddingLeft: 18 }}>
        {STRATEGIES.map((s) => (
          <li key={s}>
            <strong>{strategyLabel[s]}</strong>: {strategyHelp[s]}
          </li>
        ))}
      </ul>
      {isPending ? (
        <Loader size="sm" aria-label="Loading queues" />
      ) : isError ? (
        <Text role="alert">Queues could not be loaded: {error.message}</Text>
      ) : queues.length === 0 ? (
        <PageMessage icon={IconStack2} title="No queues yet">
          Queues are created with their team; then choose here how each one assigns.
        </PageMessage>
      ) : (
        <table className={classes.table} aria-label="Queues and how they assign">
          <thead>
            <tr>
              <th scope="col">Queue</th>
              <th scope="col">Team</th>
              <th scope="col">Waiting for an owner</th>
              <th scope="col">Assignment</th>
            </tr>
          </thead>
          <tbody>
            {queues.map((queue) => (
              <tr key={queue.queueId} data-testid="queue-assignment-row">
                <td>{queue.name}</td>
                <td>
                  {queue.teamId ? (
                    (teams.byId.get(queue.teamId)?.name ?? "…")
                  ) : (
                    <span className={classes.muted}>No team: cannot assign automatically</span>
                  )}
                </td>
                <td>
                  {queue.waiting}
                  {queue.oldestWaitingAt ? (
                    <span className={classes.muted}> · oldest {relativeTime(queue.oldestWaitingAt)}</span>
                  ) : null}
                </td>
                <td style={{ width: 220 }}>
                  <Select
                    aria-label={`How ${queue.name} assigns`}
                    data={STRATEGIES.map((s) => ({ value: s, label: strategyLabel[s] }))}
                    value={queue.strategy}
                    onChange={(value) => value && change(queue, value as TStrategy)}
                    allowDeselect={false}
                    disabled={!queue.teamId && queue.strategy === "manual"}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminFrame>
  );
}
