import { Button, EmptyState, Group, Skeleton, Text, VisuallyHidden } from "@mantine/core";
import { IconInbox, IconPlus } from "@tabler/icons-react";
import type { MouseEvent } from "react";
import { Link, useNavigate } from "react-router-dom";
import { useCurrentUser } from "../../auth/session";
import { useStaffUsers } from "../../customers/api";
import { type TCase, type TCaseFilters, useCaseList, useCaseStatuses } from "./api";
import {
  formatDateTime,
  PriorityIcon,
  priorityLabel,
  relativeTime,
  StatusIcon,
  shortAge,
  statusLabelOf,
} from "./case-format";
import classes from "./customer-cases.module.css";
import { OwnerAvatar } from "./owner-avatar";

type TScope = { accountId: string; contactId?: string };

function filtersOf(scope: TScope, statusCategory: string[]): TCaseFilters {
  return {
    status: [],
    statusCategory,
    priority: [],
    owner: null,
    queueId: null,
    tag: [],
    q: "",
    sort: "-updatedAt",
    accountId: scope.contactId ? null : scope.accountId,
    contactId: scope.contactId ?? null,
  };
}

/** A customer's cases (an account's or one contact's): open ones first, then past ones. */
export function CustomerCases({ accountId, contactId, who }: TScope & { who: string }) {
  const open = useCaseList(filtersOf({ accountId, contactId }, ["open", "paused"]));
  const past = useCaseList(filtersOf({ accountId, contactId }, ["resolved"]));
  const openCases = open.data?.pages.flatMap((page) => page.items) ?? [];
  const pastCases = past.data?.pages.flatMap((page) => page.items) ?? [];
  const newHref = `/cases/new?accountId=${encodeURIComponent(accountId)}${
    contactId ? `&contactId=${encodeURIComponent(contactId)}` : ""
  }`;
  const loading = open.isPending || past.isPending;
  const failed = open.error ?? past.error;

  return (
    <div data-testid="customer-cases">
      <Group justify="space-between" mb={8}>
        <Text size="sm" c="dimmed">
          {loading
            ? "Loading cases…"
            : `${openCases.length}${open.hasNextPage ? "+" : ""} open · ${pastCases.length}${
                past.hasNextPage ? "+" : ""
              } past`}
        </Text>
        <Button
          component={Link}
          to={newHref}
          size="compact-sm"
          variant="light"
          leftSection={<IconPlus size={14} stroke={2} aria-hidden />}
        >
          New case
        </Button>
      </Group>
      {failed ? (
        <Text size="sm" c="red">
          The cases couldn't be loaded: {failed.message}
        </Text>
      ) : loading ? (
        <Skeleton height={80} radius="md" />
      ) : openCases.length + pastCases.length === 0 ? (
        <EmptyState
          className={classes.empty}
          icon={<IconInbox size={24} stroke={1.6} />}
          withIndicatorBackground
          size="sm"
          title="No cases yet"
          description={`Nothing raised by ${who} so far. New enquiries from ${who} will appear here.`}
        />
      ) : (
        <>
          {openCases.length ? (
            <>
              <h3 className={classes.groupTitle}>Open</h3>
              <CaseTable label={`Open cases of ${who}`} cases={openCases} />
              <MoreButton query={open} />
            </>
          ) : null}
          {pastCases.length ? (
            <>
              <h3 className={classes.groupTitle}>Past</h3>
              <CaseTable label={`Past cases of ${who}`} cases={pastCases} />
              <MoreButton query={past} />
            </>
          ) : null}
        </>
      )}
    </div>
  );
}

function MoreButton({ query }: { query: ReturnType<typeof useCaseList> }) {
  if (!query.hasNextPage) return null;
  return (
    <Button
      variant="subtle"
      size="compact-sm"
      mt={6}
      loading={query.isFetchingNextPage}
      onClick={() => void query.fetchNextPage()}
    >
      Show more
    </Button>
  );
}

function CaseTable({ label, cases }: { label: string; cases: TCase[] }) {
  const navigate = useNavigate();
  const me = useCurrentUser();
  const staff = useStaffUsers();
  const { byKey } = useCaseStatuses();
  const now = Date.now();

  function onRowClick(event: MouseEvent<HTMLTableRowElement>, id: string) {
    if ((event.target as HTMLElement).closest("a, button")) return;
    if (window.getSelection()?.toString()) return;
    navigate(`/cases/${id}`);
  }

  return (
    <table className={classes.table} aria-label={label}>
      <thead>
        <tr>
          <th className={classes.colNumber} scope="col">
            Number
          </th>
          <th scope="col">Subject</th>
          <th className={classes.colStatus} scope="col">
            Status
          </th>
          <th className={classes.colPriority} scope="col">
            Priority
          </th>
          <th className={classes.colOwner} scope="col">
            Owner
          </th>
          <th className={classes.colUpdated} scope="col">
            Updated
          </th>
        </tr>
      </thead>
      <tbody>
        {cases.map((item) => {
          const owner = item.ownerId ? staff.byId.get(item.ownerId) : undefined;
          const statusLabel = statusLabelOf(item.status, byKey);
          return (
            <tr
              key={item.id}
              className={classes.row}
              data-resolved={item.statusCategory === "resolved" || undefined}
              onClick={(event) => onRowClick(event, item.id)}
            >
              <td className={classes.number}>{item.number}</td>
              <td>
                <Link to={`/cases/${item.id}`} className={classes.subject} title={item.subject}>
                  {item.subject}
                </Link>
              </td>
              <td>
                <span className={classes.inline}>
                  <StatusIcon status={item.status} meta={byKey.get(item.status)} size={14} />
                  {statusLabel}
                </span>
              </td>
              <td className={classes.colPriority}>
                <span className={classes.inline}>
                  <PriorityIcon priority={item.priority} size={14} />
                  {priorityLabel[item.priority]}
                </span>
              </td>
              <td className={classes.colOwner}>
                {owner ? (
                  <span className={classes.inline}>
                    <OwnerAvatar name={owner.name} size={18} />
                    {owner.id === me.id ? "You" : owner.name}
                  </span>
                ) : item.ownerId ? (
                  "…"
                ) : (
                  <Text span size="sm" c="dimmed">
                    Unassigned
                  </Text>
                )}
              </td>
              <td className={classes.colUpdated}>
                <time dateTime={item.updatedAt} title={formatDateTime(item.updatedAt)}>
                  <span aria-hidden>{shortAge(item.updatedAt, now)}</span>
                  <VisuallyHidden>{`Updated ${relativeTime(item.updatedAt, now)}`}</VisuallyHidden>
                </time>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
