import { Anchor, Button, Group, Text, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { Link } from "react-router-dom";
import { ApiError } from "../api/problem";
import { useAnnounce } from "../components/live-region";
import { useStaffUsers } from "../customers/api";
import classes from "./activities.module.css";
import { ActivityIcon, ActivityStatusBadge, DueText, formatDuration, typeLabel } from "./activity-format";
import { type TActivity, useUpdateActivity } from "./api";

function problemText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return "Keepdesk can't be reached; nothing was saved.";
    return error.problem?.detail ?? error.message;
  }
  return "Something went wrong. Try again.";
}

/** Keep (a promise) or Done (anything else) for an open activity. */
export function CompleteButton({ activity, size = "compact-xs" }: { activity: TActivity; size?: string }) {
  const update = useUpdateActivity();
  const announce = useAnnounce();
  if (activity.status !== "open") return null;
  const promise = activity.type === "promise";
  const pastDue = promise && activity.dueAt !== null && new Date(activity.dueAt).getTime() < Date.now();
  const label = promise ? "Kept" : "Done";
  const button = (
    <Button
      size={size}
      variant="light"
      color="green"
      loading={update.isPending}
      disabled={pastDue}
      aria-label={`Mark ${label.toLowerCase()}: ${activity.subject}`}
      onClick={() =>
        update.mutate(
          { id: activity.id, patch: { status: promise ? "kept" : "done" } },
          {
            onSuccess: () =>
              announce(promise ? `Promise kept: ${activity.subject}` : `Done: ${activity.subject}`),
            onError: (error) =>
              notifications.show({
                title: `${activity.subject}: not saved`,
                message: problemText(error),
                color: "red",
              }),
          },
        )
      }
    >
      {promise ? "Mark kept" : "Mark done"}
    </Button>
  );
  return pastDue ? (
    <Tooltip label="Its due time has passed: an answer now is late, and the promise breaks">
      <span>{button}</span>
    </Tooltip>
  ) : (
    button
  );
}

/** One activity as a compact row: icon, subject and context, due time (theirs too), state, action. */
export function ActivityRow({
  activity,
  now,
  showCase = true,
  showOwner = false,
}: {
  activity: TActivity;
  now?: number;
  showCase?: boolean;
  showOwner?: boolean;
}) {
  const staff = useStaffUsers();
  const owner = activity.ownerId ? staff.byId.get(activity.ownerId)?.name : undefined;
  const when = activity.type === "appointment" ? activity.startsAt : activity.dueAt;
  const details = [
    activity.type === "call" ? formatDuration(activity.durationSeconds) : null,
    activity.type === "call" ? activity.outcome : null,
    activity.keptHow ? `kept by ${activity.keptHow === "manual" ? "hand" : activity.keptHow}` : null,
  ].filter(Boolean);
  return (
    <li className={classes.row} data-activity-id={activity.id} data-status={activity.status}>
      <span className={classes.rowIcon} data-type={activity.type} title={typeLabel[activity.type]}>
        <ActivityIcon activity={activity} size={15} />
      </span>
      <div className={classes.rowMain}>
        <Text size="sm" fw={550} className={classes.rowSubject}>
          {activity.subject}
        </Text>
        <Text size="xs" c="dimmed" className={classes.rowContext}>
          {typeLabel[activity.type]}
          {showCase && activity.case ? (
            <>
              {" · "}
              <Anchor component={Link} to={`/cases/${activity.case.id}`} size="xs">
                {activity.case.number}
              </Anchor>
            </>
          ) : null}
          {activity.contactName || activity.accountName
            ? ` · ${[activity.contactName, activity.accountName].filter(Boolean).join(", ")}`
            : null}
          {showOwner && owner ? ` · ${owner}` : null}
          {details.length > 0 ? ` · ${details.join(" · ")}` : null}
        </Text>
      </div>
      <Text size="sm" className={classes.rowWhen}>
        {when ? <DueText iso={when} timeZone={activity.customerTimeZone} now={now} /> : null}
      </Text>
      <Group gap={6} wrap="nowrap" className={classes.rowActions}>
        <ActivityStatusBadge activity={activity} />
        <CompleteButton activity={activity} />
      </Group>
    </li>
  );
}
