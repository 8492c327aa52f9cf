import { Button, EmptyState, Group, Loader, SegmentedControl, Select, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconCalendarShare, IconChecklist, IconPlus } from "@tabler/icons-react";
import { useMemo, useState } from "react";
import { useSearchParams } from "react-router-dom";
import classes from "../../activities/activities.module.css";
import { ActivityDialog } from "../../activities/activity-dialog";
import { ACTIVITY_TYPES, typeLabel } from "../../activities/activity-format";
import { ActivityRow } from "../../activities/activity-row";
import {
  type TActivityFilters,
  type TActivityStatus,
  type TActivityType,
  useActivities,
} from "../../activities/api";
import { CalendarFeedModal } from "../../activities/calendar-feed-modal";
import { areaByKey } from "../../app/areas";
import { useCurrentUser } from "../../auth/session";
import { useAnnounce } from "../../components/live-region";
import { Page } from "../../components/page";
import { useStaffUsers } from "../../customers/api";
import { useNow } from "../cases/use-now";

const STATUS_VIEWS: Record<string, { label: string; status?: TActivityStatus[] }> = {
  open: { label: "Open", status: ["open"] },
  finished: { label: "Done or kept", status: ["done", "kept"] },
  broken: { label: "Broken promises", status: ["broken"] },
  cancelled: { label: "Cancelled", status: ["cancelled"] },
  all: { label: "Everything" },
};

const SORTS = {
  dueAt: "Due soonest",
  "-dueAt": "Due latest",
  "-createdAt": "Newest first",
} as const;

/** Every activity, filtered by type, state and owner; yours and open by default. */
export function ActivitiesPage() {
  const area = areaByKey("activities");
  const me = useCurrentUser();
  const staff = useStaffUsers();
  const now = useNow();
  const announce = useAnnounce();
  const [params, setParams] = useSearchParams();
  const [dialog, setDialog] = useState<"task" | "call" | null>(null);
  const [feedOpen, setFeedOpen] = useState(false);

  const type = (params.get("type") ?? "all") as TActivityType | "all";
  const view = params.get("status") ?? "open";
  const owner = params.get("owner") ?? "me";
  const sort = (params.get("sort") ?? "dueAt") as keyof typeof SORTS;

  const set = (key: string, value: string, fallback: string) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value === fallback) next.delete(key);
        else next.set(key, value);
        return next;
      },
      { replace: true },
    );

  const filters = useMemo<TActivityFilters>(
    () => ({
      ...(type !== "all" ? { type: [type] } : {}),
      ...(STATUS_VIEWS[view]?.status ? { status: STATUS_VIEWS[view].status } : {}),
      ...(owner === "all" ? {} : { ownerId: owner }),
      sort: sort in SORTS ? sort : "dueAt",
    }),
    [type, view, owner, sort],
  );
  const list = useActivities(filters);
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];

  const ownerData = [
    { value: "me", label: "Mine" },
    { value: "all", label: "Everyone's" },
    ...staff.users
      .filter((user) => user.active && user.id !== me.id)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((user) => ({ value: user.id, label: user.name })),
  ];

  return (
    <Page
      title={area.title ?? area.label}
      icon={area.icon}
      actions={
        <Group gap="xs">
          <Button
            variant="default"
            size="xs"
            leftSection={<IconCalendarShare size={15} aria-hidden />}
            onClick={() => setFeedOpen(true)}
          >
            Calendar feed
          </Button>
          <Button variant="default" size="xs" onClick={() => setDialog("call")}>
            Log call
          </Button>
          <Button
            size="xs"
            leftSection={<IconPlus size={15} aria-hidden />}
            onClick={() => setDialog("task")}
          >
            New task
          </Button>
        </Group>
      }
    >
      <search className={classes.filters} aria-label="Filter activities">
        <SegmentedControl
          size="xs"
          value={type}
          onChange={(value) => set("type", value, "all")}
          aria-label="Type"
          data={[
            { value: "all", label: "All" },
            ...ACTIVITY_TYPES.map((t) => ({ value: t, label: `${typeLabel[t]}s` })),
          ]}
        />
        <Select
          size="xs"
          label="State"
          value={view}
          onChange={(value) => set("status", value ?? "open", "open")}
          data={Object.entries(STATUS_VIEWS).map(([value, item]) => ({ value, label: item.label }))}
          allowDeselect={false}
          w={170}
        />
        <Select
          size="xs"
          label="Owner"
          value={owner}
          onChange={(value) => set("owner", value ?? "me", "me")}
          data={ownerData}
          searchable
          allowDeselect={false}
          w={200}
        />
        <Select
          size="xs"
          label="Order"
          value={sort}
          onChange={(value) => set("sort", value ?? "dueAt", "dueAt")}
          data={Object.entries(SORTS).map(([value, label]) => ({ value, label }))}
          allowDeselect={false}
          w={150}
        />
      </search>

      {list.isPending ? (
        <Loader size="sm" aria-label="Loading activities" />
      ) : list.isError ? (
        <Text role="alert">The activities could not be loaded: {list.error.message}</Text>
      ) : items.length === 0 ? (
        <EmptyState
          icon={<IconChecklist size={24} stroke={1.6} />}
          withIndicatorBackground
          title="Nothing here"
          description="Promises made on cases, logged calls, tasks and appointments matching these filters appear here."
        />
      ) : (
        <div className={classes.daySection} style={{ maxWidth: 1100 }}>
          <ul className={classes.list} aria-label="Activities" data-testid="activity-list">
            {items.map((activity) => (
              <ActivityRow key={activity.id} activity={activity} now={now} showOwner={owner !== "me"} />
            ))}
          </ul>
          {list.hasNextPage ? (
            <Button
              variant="default"
              size="compact-sm"
              my="sm"
              loading={list.isFetchingNextPage}
              onClick={() => void list.fetchNextPage()}
            >
              Load more
            </Button>
          ) : null}
        </div>
      )}

      {dialog ? (
        <ActivityDialog
          kind={dialog}
          onClose={() => setDialog(null)}
          onSaved={(message) => {
            setDialog(null);
            notifications.show({ message, color: "green" });
            announce(message);
          }}
        />
      ) : null}
      <CalendarFeedModal opened={feedOpen} onClose={() => setFeedOpen(false)} />
    </Page>
  );
}
