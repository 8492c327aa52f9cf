import { Alert, Anchor, Button, Group, Loader, Progress, SegmentedControl, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertCircle, IconCopy, IconPencil, IconPlayerStop, IconTestPipe } from "@tabler/icons-react";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { ApiError } from "../../api/problem";
import { useCurrentUser } from "../../auth/session";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { Page, PageMessage } from "../../components/page";
import type { Segment } from "../../components/segment-builder";
import { useStaffUsers } from "../../customers/api";
import { Crumbs } from "../../customers/crumbs";
import { formatDateTime } from "../cases/case-format";
import classes from "./announcements.module.css";
import {
  mayDraft,
  mayEdit,
  maySend,
  recipientStatusLabel,
  type TAnnouncement,
  type TRecipientStatus,
  useAnnouncement,
  useAnnouncementMutations,
  useMailPreview,
  useRecipients,
} from "./api";
import { AnnouncementStatusBadge, MailPreview } from "./parts";

/** One announcement: where it stands (progress while sending), its recipients, and the mail. */
export function AnnouncementPage() {
  const { id = "" } = useParams();
  const q = useAnnouncement(id);
  if (q.data) return <AnnouncementScreen a={q.data} />;
  const crumbs = <Crumbs trail={[{ label: "Announcements", to: "/announcements" }]} />;
  if (q.isPending)
    return (
      <Page title="Loading announcement…" above={crumbs}>
        <Loader size="sm" aria-label="Loading" />
      </Page>
    );
  const gone = q.error instanceof ApiError && (q.error.status === 404 || q.error.status === 400);
  return (
    <Page title={gone ? "Announcement not found" : "Announcement unavailable"} above={crumbs}>
      <PageMessage
        icon={IconAlertCircle}
        title={gone ? "There's no announcement here" : "It couldn't be loaded"}
        action={
          <Button component={Link} to="/announcements" variant="light" mt="xs">
            Back to announcements
          </Button>
        }
      >
        {gone ? "It may have been deleted, or the link is out of date." : (q.error?.message ?? "")}
      </PageMessage>
    </Page>
  );
}

function AnnouncementScreen({ a }: { a: TAnnouncement }) {
  const user = useCurrentUser();
  const navigate = useNavigate();
  const m = useAnnouncementMutations();
  const users = useStaffUsers();
  const preview = useMailPreview(a.subject, a.body);
  const [cancelling, setCancelling] = useState(false);
  const r = a.recipients;
  const reachable = r.total - r.optedOut;
  const done = r.sent;
  const who = (id: string | null) => (id ? (users.byId.get(id)?.name ?? "someone") : "—");

  function duplicate() {
    m.create.mutate(
      { subject: a.subject, body: a.body, segment: a.segment as Segment, languages: a.languages },
      {
        onSuccess: (copy) => navigate(`/announcements/${copy.id}/edit`),
        onError: (e) => notifications.show({ color: "red", message: e.message }),
      },
    );
  }

  return (
    <Page
      title={a.subject}
      above={<Crumbs trail={[{ label: "Announcements", to: "/announcements" }]} />}
      titleAside={<AnnouncementStatusBadge status={a.status} />}
      actions={
        <Group gap="xs" wrap="wrap">
          {mayEdit(a, user) ? (
            <Button
              component={Link}
              to={`/announcements/${a.id}/edit`}
              size="xs"
              variant="default"
              leftSection={<IconPencil size={14} aria-hidden />}
            >
              Edit
            </Button>
          ) : null}
          {mayDraft(user.role) ? (
            <>
              <Button
                size="xs"
                variant="default"
                leftSection={<IconTestPipe size={14} aria-hidden />}
                loading={m.test.isPending}
                onClick={() =>
                  m.test.mutate(
                    { id: a.id },
                    {
                      onSuccess: (res) =>
                        notifications.show({
                          color: "teal",
                          title: "Test copy sent",
                          message: `To ${res.to}`,
                        }),
                      onError: (e) => notifications.show({ color: "red", message: e.message }),
                    },
                  )
                }
              >
                Send me a test
              </Button>
              <Button
                size="xs"
                variant="default"
                leftSection={<IconCopy size={14} aria-hidden />}
                loading={m.create.isPending}
                onClick={duplicate}
              >
                Duplicate
              </Button>
            </>
          ) : null}
          {a.status === "scheduled" && maySend(user.role) ? (
            <Button
              size="xs"
              color="red"
              variant="light"
              leftSection={<IconPlayerStop size={14} aria-hidden />}
              onClick={() => setCancelling(true)}
            >
              Cancel schedule
            </Button>
          ) : null}
        </Group>
      }
    >
      <div className={classes.layout}>
        <Stack gap="lg">
          {a.status === "sending" || a.status === "sent" ? (
            <section aria-labelledby="progress-title">
              <h2 id="progress-title" className={classes.sectionTitle}>
                {a.status === "sending" ? "Sending" : "Delivery"}
              </h2>
              <div role="status" aria-live="polite" data-testid="announcement-progress">
                {a.status === "sending" ? (
                  <>
                    <Progress
                      value={reachable === 0 ? 100 : (done / reachable) * 100}
                      size="lg"
                      animated
                      mb={6}
                    />
                    <Text size="sm" mb="sm">
                      {done.toLocaleString()} of {reachable.toLocaleString()} mailed · in batches of 200
                    </Text>
                  </>
                ) : null}
                <div className={classes.counts}>
                  <Count label="On the list" value={r.total} />
                  <Count label="Sent" value={r.sent} />
                  <Count label="Waiting" value={r.pending} />
                  <Count label="Opted out (skipped)" value={r.optedOut} />
                </div>
              </div>
            </section>
          ) : a.status === "scheduled" ? (
            <Alert color="blue" variant="light" title="Scheduled">
              Goes out {a.scheduledFor ? formatDateTime(a.scheduledFor) : ""}. The recipient list is fixed
              then.
            </Alert>
          ) : a.status === "cancelled" ? (
            <Alert color="gray" variant="light" title="Cancelled">
              Its schedule was cancelled {a.cancelledAt ? formatDateTime(a.cancelledAt) : ""}; nothing was
              sent. Edit it to send it after all.
            </Alert>
          ) : (
            <Alert color="gray" variant="light" title="Draft">
              Not sent yet.{" "}
              {mayEdit(a, user) ? (
                <Anchor component={Link} to={`/announcements/${a.id}/edit`}>
                  Continue editing
                </Anchor>
              ) : null}
            </Alert>
          )}

          <section aria-labelledby="facts-title">
            <h2 id="facts-title" className={classes.sectionTitle}>
              Audience
            </h2>
            <dl className={classes.facts}>
              <dt>Accounts</dt>
              <dd>{a.segmentDescription}</dd>
              <dt>Languages</dt>
              <dd>{a.languages.length > 0 ? a.languages.join(", ") : "any"}</dd>
              <dt>Written by</dt>
              <dd>
                {who(a.createdById)} · {formatDateTime(a.createdAt)}
              </dd>
              {a.sentById ? (
                <>
                  <dt>{a.status === "scheduled" ? "Scheduled by" : "Sent by"}</dt>
                  <dd>
                    {who(a.sentById)}
                    {a.sendingStartedAt ? ` · started ${formatDateTime(a.sendingStartedAt)}` : ""}
                    {a.sentAt ? ` · finished ${formatDateTime(a.sentAt)}` : ""}
                  </dd>
                </>
              ) : null}
            </dl>
          </section>

          {r.total > 0 ? (
            <Recipients id={a.id} version={`${a.status}:${r.sent}:${r.optedOut}:${r.pending}`} />
          ) : null}
        </Stack>
        <MailPreview preview={preview.data} loading={preview.isFetching} to={`${user.name} (sample)`} />
      </div>
      <ConfirmDialog
        opened={cancelling}
        onClose={() => setCancelling(false)}
        onConfirm={() =>
          m.cancel.mutate(a.id, {
            onSuccess: () => {
              setCancelling(false);
              notifications.show({ color: "gray", message: "Schedule cancelled: nothing was sent" });
            },
          })
        }
        title="Cancel the schedule?"
        confirmLabel="Cancel schedule"
        busy={m.cancel.isPending}
        error={m.cancel.error ? m.cancel.error.message : null}
      >
        “{a.subject}” will not go out. You can edit it and send it later.
      </ConfirmDialog>
    </Page>
  );
}

function Count({ label, value }: { label: string; value: number }) {
  return (
    <div className={classes.count}>
      <div className={classes.countValue}>{value.toLocaleString()}</div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </div>
  );
}

function Recipients({ id, version }: { id: string; version: string }) {
  const [status, setStatus] = useState<TRecipientStatus | "all">("all");
  const q = useRecipients(id, status, version);
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="recipients-title">
      <h2 id="recipients-title" className={classes.sectionTitle}>
        Recipients
        <SegmentedControl
          size="xs"
          aria-label="Which recipients"
          value={status}
          onChange={(v) => setStatus(v as TRecipientStatus | "all")}
          data={[
            { value: "all", label: "All" },
            { value: "sent", label: "Sent" },
            { value: "pending", label: "Waiting" },
            { value: "skipped", label: "Opted out" },
          ]}
        />
      </h2>
      {q.isPending ? (
        <Loader size="sm" aria-label="Loading recipients" />
      ) : q.isError ? (
        <Text role="alert">The recipients could not be loaded: {q.error.message}</Text>
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nobody here.
        </Text>
      ) : (
        <div className={classes.tableWrap}>
          <table className={classes.table} aria-label="Recipients" data-testid="recipients">
            <thead>
              <tr>
                <th scope="col">Contact</th>
                <th scope="col">Account</th>
                <th scope="col">Status</th>
                <th scope="col">Sent</th>
              </tr>
            </thead>
            <tbody>
              {items.map((rcp) => (
                <tr key={rcp.contactId}>
                  <td>
                    <Link to={`/contacts/${rcp.contactId}`} className={classes.rowLink}>
                      {rcp.name}
                    </Link>
                    <Text size="xs" c="dimmed">
                      {rcp.email}
                    </Text>
                  </td>
                  <td>
                    <Link to={`/accounts/${rcp.accountId}`}>{rcp.accountName}</Link>
                  </td>
                  <td>{recipientStatusLabel[rcp.status]}</td>
                  <td className={classes.nowrap}>{rcp.sentAt ? formatDateTime(rcp.sentAt) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {q.hasNextPage ? (
        <Button
          variant="default"
          size="xs"
          mt="sm"
          loading={q.isFetchingNextPage}
          onClick={() => void q.fetchNextPage()}
        >
          Show more
        </Button>
      ) : null}
    </section>
  );
}
