import { Button, EmptyState, Skeleton, Stack, Text } from "@mantine/core";
import {
  IconArrowsJoin,
  IconBuilding,
  IconCircleCheck,
  IconFlag,
  IconMessage,
  IconMessageCircle,
  IconNote,
  IconPaperclip,
  IconPencil,
  IconPlus,
  IconRefresh,
  IconStar,
  IconTimeline,
  IconUser,
  IconUserCheck,
  type TablerIcon,
} from "@tabler/icons-react";
import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useCallback, useMemo } from "react";
import { Link } from "react-router-dom";
import { describeActivityEvent } from "../../activities/activity-timeline";
import { api, unwrap } from "../../api/client";
import type { paths } from "../../api/schema";
import { customerKeys, type TStaffUser, useAccountContacts, useStaffUsers } from "../../customers/api";
import { type TLiveEvent, useLiveEvent } from "../../live/live-updates";
import { useCaseStatuses } from "../cases/api";
import { formatDateTime, priorityLabel, statusLabelOf } from "../cases/case-format";
import { caseKeys } from "../cases/case-keys";
import classes from "./account-timeline.module.css";
import { describeServiceEvent } from "./timeline-service-events";

type TTimelinePage =
  paths["/api/v1/accounts/{id}/timeline"]["get"]["responses"]["200"]["content"]["application/json"];
export type TTimelineEntry = TTimelinePage["items"][number];

const PAGE = 50;

/** Under the account's own key, so a gap in the live stream refetches it with the rest. */
export const timelineKey = (accountId: string) => [...customerKeys.accounts, "timeline", accountId] as const;

function useTimeline(accountId: string) {
  return useInfiniteQuery({
    queryKey: timelineKey(accountId),
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET("/api/v1/accounts/{id}/timeline", {
          params: { path: { id: accountId }, query: { limit: PAGE, cursor: pageParam } },
          signal,
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 60_000,
  });
}

/** Case numbers and subjects of the account, to name the cases the events are about. */
function useCaseNames(accountId: string) {
  const query = useQuery({
    queryKey: [...caseKeys.lists, { accountId, for: "timeline" }],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/cases", {
          params: { query: { accountId, limit: 200, sort: "-updatedAt" } },
          signal,
        }),
      ),
    staleTime: 60_000,
  });
  return useMemo(
    () => new Map((query.data?.items ?? []).map((item) => [item.id, item.number] as const)),
    [query.data],
  );
}

const str = (value: unknown): string | undefined => (typeof value === "string" && value ? value : undefined);

const tierLabel = (tier: unknown) =>
  tier === "key" ? "Key" : tier === "standard" ? "Standard" : String(tier);

const FIELD_LABELS: Record<string, string> = {
  annualRevenue: "revenue",
  ownerId: "owner",
  timeZone: "time zone",
  customerSince: "customer since",
};

function fieldList(changes: unknown): string {
  const keys = Array.isArray(changes)
    ? changes.map((change) => String(change?.field ?? change))
    : Object.keys(changes ?? {});
  return keys.map((key) => FIELD_LABELS[key] ?? key.replace(/([A-Z])/g, " $1").toLowerCase()).join(", ");
}

type TDescribed = { icon: TablerIcon; text: ReactNode; by: boolean };

type TNames = {
  caseNumber: (id: string) => string | undefined;
  contactName: (id: string) => string | undefined;
  staffName: (id: string | null | undefined) => string | undefined;
  status: (key: unknown) => string;
};

function describe(entry: TTimelineEntry, names: TNames): TDescribed {
  const data = entry.data as Record<string, unknown>;
  const caseRef = (
    <Link to={`/cases/${entry.entityId}`}>
      {names.caseNumber(entry.entityId) ?? str(data.number) ?? "a case"}
    </Link>
  );
  const contactName = names.contactName(entry.entityId) ?? str(data.name) ?? "a contact";
  const contactRef = <Link to={`/contacts/${entry.entityId}`}>{contactName}</Link>;
  switch (entry.type) {
    case "account.created":
      return { icon: IconBuilding, text: <>Account {str(data.name) ?? ""} created</>, by: true };
    case "account.updated":
      return { icon: IconPencil, text: <>Account details changed ({fieldList(data.changes)})</>, by: true };
    case "account.tier_changed":
      return {
        icon: IconStar,
        text: (
          <>
            Tier changed {tierLabel(data.from)} → {tierLabel(data.to)}
          </>
        ),
        by: false,
      };
    case "contact.created":
      return { icon: IconUser, text: <>Contact {contactRef} added</>, by: true };
    case "contact.updated":
      return {
        icon: IconUser,
        text: (
          <>
            Contact {contactRef} updated ({fieldList(data.changes)})
          </>
        ),
        by: true,
      };
    case "contact.deleted":
      return { icon: IconUser, text: <>Contact {contactName} removed</>, by: true };
    case "case.created":
      return { icon: IconPlus, text: <>Case {caseRef} created</>, by: true };
    case "case.updated":
      return {
        icon: IconPencil,
        text: (
          <>
            Case {caseRef} edited ({fieldList(data.fields)})
          </>
        ),
        by: true,
      };
    case "case.status_changed":
      return {
        icon: IconFlag,
        text: (
          <>
            {caseRef} status changed {names.status(data.from)} → {names.status(data.to)}
          </>
        ),
        by: true,
      };
    case "case.resolved":
      return { icon: IconCircleCheck, text: <>Case {caseRef} resolved</>, by: true };
    case "case.reopened":
      return { icon: IconRefresh, text: <>Case {caseRef} reopened</>, by: true };
    case "case.assigned": {
      const owner = names.staffName(str(data.ownerId));
      return {
        icon: IconUserCheck,
        text: owner ? (
          <>
            {caseRef} assigned to {owner}
          </>
        ) : data.ownerId ? (
          <>{caseRef} assigned</>
        ) : (
          <>{caseRef} unassigned</>
        ),
        by: true,
      };
    }
    case "case.priority_changed":
      return {
        icon: IconFlag,
        text: (
          <>
            {caseRef} priority changed {priorityLabel[data.from as "low"] ?? str(data.from)} →{" "}
            {priorityLabel[data.to as "low"] ?? str(data.to)}
          </>
        ),
        by: true,
      };
    case "case.merged":
      return {
        icon: IconArrowsJoin,
        text: (
          <>
            {caseRef} merged into{" "}
            {str(data.intoId) ? (
              <Link to={`/cases/${str(data.intoId)}`}>{str(data.intoNumber) ?? "another case"}</Link>
            ) : (
              "another case"
            )}
          </>
        ),
        by: true,
      };
    case "message.added":
      if (data.kind === "note")
        return { icon: IconNote, text: <>Internal note added on {caseRef}</>, by: true };
      if (data.kind === "customer")
        return { icon: IconMessageCircle, text: <>Customer wrote on {caseRef}</>, by: false };
      return { icon: IconMessage, text: <>Reply sent on {caseRef}</>, by: true };
    case "attachment.added":
      return {
        icon: IconPaperclip,
        text: (
          <>
            {str(data.filename) ?? "A file"} attached to {caseRef}
          </>
        ),
        by: true,
      };
    default:
      return (
        describeActivityEvent(entry.type, data, names.caseNumber) ??
        describeServiceEvent(entry.type, data, names.caseNumber) ?? {
          icon: IconTimeline,
          text: entry.type.replaceAll(/[._]/g, " "),
          by: true,
        }
      );
  }
}

function dayKey(iso: string): string {
  const date = new Date(iso);
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}

function dayLabel(iso: string, now = new Date()): string {
  const date = new Date(iso);
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (dayKey(iso) === dayKey(now.toISOString())) return "Today";
  if (dayKey(iso) === dayKey(yesterday.toISOString())) return "Yesterday";
  return date.toLocaleDateString(undefined, {
    weekday: "short",
    day: "numeric",
    month: "short",
    ...(date.getFullYear() === now.getFullYear() ? {} : { year: "numeric" }),
  });
}

const timeOf = (iso: string) =>
  new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });

/** Everything that happened with the account, newest first, grouped by day; live. */
export function AccountTimeline({ accountId }: { accountId: string }) {
  const queryClient = useQueryClient();
  const timeline = useTimeline(accountId);
  const staff = useStaffUsers();
  const contacts = useAccountContacts(accountId);
  const caseNumbers = useCaseNames(accountId);
  const { byKey } = useCaseStatuses();

  useLiveEvent(
    useCallback(
      (event: TLiveEvent) => {
        if (event.accountId === accountId || event.entityId === accountId) {
          void queryClient.invalidateQueries({ queryKey: timelineKey(accountId) });
        }
      },
      [accountId, queryClient],
    ),
  );

  const entries = useMemo(() => timeline.data?.pages.flatMap((page) => page.items) ?? [], [timeline.data]);

  const names = useMemo<TNames>(() => {
    const numbers = new Map(caseNumbers);
    for (const entry of entries) {
      const number = str((entry.data as Record<string, unknown>).number);
      if (entry.type === "case.created" && number) numbers.set(entry.entityId, number);
    }
    const contactNames = new Map(
      (contacts.data?.pages.flatMap((page) => page.items) ?? []).map((contact) => [contact.id, contact.name]),
    );
    const staffName = (id: string | null | undefined) => (id ? staff.byId.get(id)?.name : undefined);
    return {
      caseNumber: (id) => numbers.get(id),
      contactName: (id) => contactNames.get(id),
      staffName,
      status: (key) => (typeof key === "string" ? statusLabelOf(key, byKey) : "—"),
    };
  }, [caseNumbers, entries, contacts.data, staff.byId, byKey]);

  const days = useMemo(() => {
    const groups: { key: string; label: string; entries: TTimelineEntry[] }[] = [];
    for (const entry of entries) {
      const key = dayKey(entry.at);
      const last = groups[groups.length - 1];
      if (last?.key === key) last.entries.push(entry);
      else groups.push({ key, label: dayLabel(entry.at), entries: [entry] });
    }
    return groups;
  }, [entries]);

  if (timeline.isPending) {
    return (
      <Stack gap="xs" aria-busy>
        <Skeleton height={12} width="30%" />
        <Skeleton height={12} width="70%" />
        <Skeleton height={12} width="60%" />
      </Stack>
    );
  }
  if (timeline.error) {
    return (
      <Text size="sm" c="red">
        The timeline couldn't be loaded: {timeline.error.message}{" "}
        <Button variant="subtle" size="compact-sm" onClick={() => void timeline.refetch()}>
          Try again
        </Button>
      </Text>
    );
  }
  if (entries.length === 0) {
    return (
      <EmptyState
        className={classes.empty}
        icon={<IconTimeline size={24} stroke={1.6} />}
        withIndicatorBackground
        size="sm"
        title="Nothing has happened yet"
        description="Cases, replies, contacts and changes to the account will appear here as they happen."
      />
    );
  }

  return (
    <div data-testid="account-timeline">
      {days.map((day) => (
        <section key={day.key} className={classes.day} aria-label={day.label}>
          <h3 className={classes.dayTitle}>{day.label}</h3>
          <ol className={classes.list}>
            {day.entries.map((entry) => (
              <TimelineItem key={entry.seq} entry={entry} names={names} staff={staff.byId} />
            ))}
          </ol>
        </section>
      ))}
      {timeline.hasNextPage ? (
        <Button
          variant="default"
          size="compact-sm"
          loading={timeline.isFetchingNextPage}
          onClick={() => void timeline.fetchNextPage()}
        >
          Load more
        </Button>
      ) : null}
    </div>
  );
}

function TimelineItem({
  entry,
  names,
  staff,
}: {
  entry: TTimelineEntry;
  names: TNames;
  staff: Map<string, TStaffUser>;
}) {
  const { icon: Icon, text, by } = describe(entry, names);
  const actor = entry.actorId ? staff.get(entry.actorId)?.name : undefined;
  return (
    <li className={classes.item} data-event-type={entry.type}>
      <span className={classes.icon} aria-hidden>
        <Icon size={13} stroke={1.8} />
      </span>
      <span className={classes.text}>
        {text}
        {by && actor ? <span className={classes.by}> by {actor}</span> : null}
        {by && !entry.actorId ? <span className={classes.by}> automatically</span> : null}
      </span>
      <time className={classes.time} dateTime={entry.at} title={formatDateTime(entry.at)}>
        {timeOf(entry.at)}
      </time>
    </li>
  );
}
