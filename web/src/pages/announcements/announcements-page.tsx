import { Alert, Anchor, Button, Group, Loader, Progress, Tabs, Text } from "@mantine/core";
import { IconPlus, IconSpeakerphone } from "@tabler/icons-react";
import { useQueryClient } from "@tanstack/react-query";
import { Link, Route, Routes, useNavigate, useSearchParams } from "react-router-dom";
import { areaByKey } from "../../app/areas";
import { useCurrentUser } from "../../auth/session";
import { Page, PageMessage } from "../../components/page";
import { formatDateTime } from "../cases/case-format";
import { AnnouncementPage } from "./announcement-page";
import classes from "./announcements.module.css";
import {
  announcementKeys,
  mayDraft,
  mayEdit,
  plural,
  type TAnnouncement,
  type TAnnouncementStatus,
  useAnnouncementList,
} from "./api";
import { ComposePage } from "./compose-page";
import { AnnouncementStatusBadge } from "./parts";

/** Announcements: the list, composing one, and one announcement's progress and recipients. */
export function AnnouncementsPage() {
  return (
    <Routes>
      <Route index element={<AnnouncementList />} />
      <Route path="new" element={<ComposePage />} />
      <Route path=":id/edit" element={<ComposePage />} />
      <Route path=":id" element={<AnnouncementPage />} />
    </Routes>
  );
}

const TABS: { value: TAnnouncementStatus | "all"; label: string }[] = [
  { value: "all", label: "All" },
  { value: "draft", label: "Drafts" },
  { value: "scheduled", label: "Scheduled" },
  { value: "sent", label: "Sent" },
];

function AnnouncementList() {
  const area = areaByKey("announcements");
  const user = useCurrentUser();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const status = (TABS.find((t) => t.value === params.get("status"))?.value ?? "all") as
    | TAnnouncementStatus
    | "all";
  const list = useAnnouncementList(status);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const canDraft = mayDraft(user.role);

  return (
    <Page
      title={area.label}
      icon={area.icon}
      actions={
        canDraft ? (
          <Button
            component={Link}
            to="/announcements/new"
            size="xs"
            leftSection={<IconPlus size={14} aria-hidden />}
            data-testid="new-announcement"
          >
            New announcement
          </Button>
        ) : null
      }
    >
      <Tabs
        value={status}
        onChange={(v) => setParams(v && v !== "all" ? { status: v } : {}, { replace: true })}
      >
        <Tabs.List mb="md">
          {TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      {list.isPending ? (
        <Loader size="sm" aria-label="Loading announcements" />
      ) : list.isError ? (
        <Alert color="red" role="alert" title="Announcements could not be loaded">
          {list.error.message}{" "}
          <Anchor
            component="button"
            type="button"
            size="sm"
            onClick={() => void qc.invalidateQueries({ queryKey: announcementKeys.lists })}
          >
            Try again
          </Anchor>
        </Alert>
      ) : items.length === 0 ? (
        <PageMessage
          icon={IconSpeakerphone}
          title={
            status === "all"
              ? "No announcements yet"
              : `No ${TABS.find((t) => t.value === status)?.label.toLowerCase()}`
          }
          action={
            canDraft ? (
              <Button variant="light" mt="xs" onClick={() => navigate("/announcements/new")}>
                Write an announcement
              </Button>
            ) : undefined
          }
        >
          Tell a segment of your customers about a new service by email: key accounts, customers in a country,
          or everyone using a product. Contacts who opted out are skipped, and every mail carries an
          unsubscribe link.
        </PageMessage>
      ) : (
        <>
          <div className={classes.tableWrap}>
            <table className={classes.table} aria-label="Announcements">
              <thead>
                <tr>
                  <th scope="col">Announcement</th>
                  <th scope="col">Status</th>
                  <th scope="col">When</th>
                  <th scope="col" className={classes.num}>
                    Recipients
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((a) => (
                  <Row key={a.id} a={a} editable={mayEdit(a, user) && a.status !== "scheduled"} />
                ))}
              </tbody>
            </table>
          </div>
          {list.hasNextPage ? (
            <Button
              variant="default"
              size="xs"
              mt="md"
              loading={list.isFetchingNextPage}
              onClick={() => void list.fetchNextPage()}
            >
              Show more
            </Button>
          ) : null}
        </>
      )}
    </Page>
  );
}

function Row({ a, editable }: { a: TAnnouncement; editable: boolean }) {
  const r = a.recipients;
  const when =
    a.status === "sent" && a.sentAt
      ? `Sent ${formatDateTime(a.sentAt)}`
      : a.status === "scheduled" && a.scheduledFor
        ? `Goes ${formatDateTime(a.scheduledFor)}`
        : a.status === "sending" && a.sendingStartedAt
          ? `Started ${formatDateTime(a.sendingStartedAt)}`
          : a.status === "cancelled" && a.cancelledAt
            ? `Cancelled ${formatDateTime(a.cancelledAt)}`
            : `Edited ${formatDateTime(a.updatedAt)}`;
  return (
    <tr data-testid="announcement-row">
      <td>
        <Link
          to={editable ? `/announcements/${a.id}/edit` : `/announcements/${a.id}`}
          className={classes.rowLink}
        >
          {a.subject}
        </Link>
        <Text size="xs" c="dimmed" mt={2}>
          To {a.segmentDescription}
          {a.languages.length > 0 ? ` · in ${a.languages.join(", ")}` : ""}
        </Text>
      </td>
      <td>
        <AnnouncementStatusBadge status={a.status} />
      </td>
      <td>
        <Text size="sm">{when}</Text>
      </td>
      <td className={classes.num}>
        {r.total === 0 ? (
          <Text size="sm" c="dimmed">
            —
          </Text>
        ) : a.status === "sending" ? (
          <Group gap={8} justify="flex-end" wrap="nowrap">
            <Progress
              value={r.total === 0 ? 0 : ((r.sent + r.optedOut) / r.total) * 100}
              w={90}
              aria-label={`Sent to ${r.sent} of ${r.total - r.optedOut}`}
            />
            <Text size="sm">
              {r.sent.toLocaleString()} / {(r.total - r.optedOut).toLocaleString()}
            </Text>
          </Group>
        ) : (
          <Text size="sm">
            {plural(r.sent, "sent", "sent")}
            {r.optedOut > 0 ? (
              <Text span size="xs" c="dimmed">
                {" "}
                · {r.optedOut.toLocaleString()} opted out
              </Text>
            ) : null}
          </Text>
        )}
      </td>
    </tr>
  );
}
