import { Badge, Button, EmptyState, Group, Loader, Text } from "@mantine/core";
import { IconAlertTriangle, IconCircleCheck, IconInbox, IconSunHigh } from "@tabler/icons-react";
import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useCallback, useMemo } from "react";
import { Link } from "react-router-dom";
import classes from "../../activities/activities.module.css";
import { DueText } from "../../activities/activity-format";
import { activityKeys } from "../../activities/activity-keys";
import { ActivityRow } from "../../activities/activity-row";
import { type TMyDayItem, useMyDay } from "../../activities/api";
import { areaByKey } from "../../app/areas";
import { Page } from "../../components/page";
import { type TLiveEvent, useLiveEvent } from "../../live/live-updates";
import { useNow } from "../cases/use-now";

type TCaseItem = Extract<TMyDayItem, { kind: "case" }>;

/** Case and SLA events that can add a case to the day or take one off it. */
const CASE_EVENTS = new Set([
  "case.assigned",
  "case.status_changed",
  "case.resolved",
  "case.reopened",
  "case.created",
  "sla.warning",
  "sla.breached",
  "sla.met",
  "sla.met_late",
  "message.added",
]);

const dayTitle = new Intl.DateTimeFormat(undefined, { weekday: "long", day: "numeric", month: "long" });

/** The signed-in user's day: what is late, what is due today, cases about to breach, and what got done. */
export function MyDayPage() {
  const area = areaByKey("myDay");
  const now = useNow();
  const queryClient = useQueryClient();
  const day = useMyDay();

  useLiveEvent(
    useCallback(
      (event: TLiveEvent) => {
        if (CASE_EVENTS.has(event.type)) void queryClient.invalidateQueries({ queryKey: activityKeys.myDay });
      },
      [queryClient],
    ),
  );

  const { urgent, later } = useMemo(() => {
    const items = day.data?.items ?? [];
    return {
      urgent: items.filter((i) => i.state === "overdue" || i.state === "breached" || i.state === "broken"),
      later: items.filter((i) => i.state === "dueToday" || i.state === "breachingSoon"),
    };
  }, [day.data]);

  const counts = day.data?.counts;
  const [year, month, date] = (day.data?.date ?? "").split("-").map(Number);
  const below = day.data ? (
    <Group gap={8} wrap="wrap">
      <Text size="sm" c="dimmed">
        {year && month && date ? dayTitle.format(new Date(year, month - 1, date)) : day.data.date} ·{" "}
        {day.data.timeZone}
      </Text>
      {counts && counts.overdue + counts.broken + counts.breached > 0 ? (
        <Badge color="red" variant="light">
          {counts.overdue + counts.broken + counts.breached} need you now
        </Badge>
      ) : null}
      {counts && counts.dueToday > 0 ? (
        <Badge color="blue" variant="light">
          {counts.dueToday} due today
        </Badge>
      ) : null}
      {counts && counts.breachingSoon > 0 ? (
        <Badge color="orange" variant="light">
          {counts.breachingSoon} about to breach
        </Badge>
      ) : null}
      {day.data.done.length > 0 ? (
        <Badge color="green" variant="light">
          {day.data.done.length} done
        </Badge>
      ) : null}
    </Group>
  ) : undefined;

  return (
    <Page title={area.title ?? area.label} icon={area.icon} below={below}>
      {day.isPending ? (
        <Loader size="sm" aria-label="Loading your day" />
      ) : day.isError ? (
        <Text role="alert">
          Your day could not be loaded: {day.error.message}{" "}
          <Button variant="subtle" size="compact-sm" onClick={() => void day.refetch()}>
            Try again
          </Button>
        </Text>
      ) : urgent.length + later.length === 0 && day.data.done.length === 0 ? (
        <EmptyState
          icon={<IconSunHigh size={24} stroke={1.6} />}
          withIndicatorBackground
          title="Nothing due today"
          description="Promises you make, tasks and calls due today, and your cases about to breach will appear here."
        />
      ) : (
        <div className={classes.day}>
          <DaySection
            id="my-day-now"
            title="Needs you now"
            icon={<IconAlertTriangle size={15} aria-hidden />}
            items={urgent}
            now={now}
            empty="Nothing overdue. Well kept."
          />
          <DaySection
            id="my-day-later"
            title="Later today"
            items={later}
            now={now}
            empty="Nothing else due today."
          />
          {day.data.done.length > 0 ? (
            <section aria-labelledby="my-day-done" className={classes.daySection} data-testid="my-day-done">
              <h2 className={classes.dayHeading} id="my-day-done">
                <IconCircleCheck size={15} aria-hidden /> Done today
              </h2>
              <ul className={classes.list}>
                {day.data.done.map((activity) => (
                  <ActivityRow key={activity.id} activity={activity} now={now} />
                ))}
              </ul>
            </section>
          ) : null}
        </div>
      )}
    </Page>
  );
}

function DaySection({
  id,
  title,
  icon,
  items,
  now,
  empty,
}: {
  id: string;
  title: string;
  icon?: ReactNode;
  items: TMyDayItem[];
  now: number;
  empty: string;
}) {
  return (
    <section aria-labelledby={id} className={classes.daySection} data-testid={id}>
      <h2 className={classes.dayHeading} id={id}>
        {icon}
        {title}
        <span className={classes.dayCount}>{items.length}</span>
      </h2>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        <ul className={classes.list}>
          {items.map((item) =>
            item.kind === "activity" ? (
              <ActivityRow key={item.activity.id} activity={item.activity} now={now} />
            ) : (
              <CaseRow key={item.case.id} item={item} now={now} />
            ),
          )}
        </ul>
      )}
    </section>
  );
}

function CaseRow({ item, now }: { item: TCaseItem; now: number }) {
  const breached = item.state === "breached";
  return (
    <li className={classes.row} data-case-id={item.case.id}>
      <span className={classes.rowIcon} aria-hidden>
        <IconInbox size={15} stroke={1.7} />
      </span>
      <div className={classes.rowMain}>
        <Text size="sm" fw={550} className={classes.rowSubject}>
          <Link to={`/cases/${item.case.id}`}>{item.case.number}</Link> {item.case.subject}
        </Text>
        <Text size="xs" c="dimmed">
          Your case · {breached ? "SLA breached, still owed" : "SLA due today"}
        </Text>
      </div>
      <Text size="sm" className={classes.rowWhen}>
        {item.at ? <DueText iso={item.at} now={now} /> : null}
      </Text>
      <Group gap={6} wrap="nowrap" className={classes.rowActions}>
        <Badge color={breached ? "red" : "orange"} variant="light" size="sm">
          {breached ? "Breached" : "About to breach"}
        </Badge>
        <Button component={Link} to={`/cases/${item.case.id}`} size="compact-xs" variant="default">
          Open
        </Button>
      </Group>
    </li>
  );
}
