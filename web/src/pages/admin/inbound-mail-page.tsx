import { Anchor, Badge, Button, Group, Loader, SegmentedControl, Text, VisuallyHidden } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconDownload, IconMailCheck, IconRefresh, IconTrash } from "@tabler/icons-react";
import { useState } from "react";
import { Link } from "react-router-dom";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { PageMessage } from "../../components/page";
import classes from "./admin.module.css";
import { AdminFrame } from "./admin-page";
import {
  errorText,
  formatSize,
  formatStamp,
  rawMailUrl,
  type TInboundMail,
  type TInboundStatus,
  useInboundAction,
  useInboundMail,
} from "./email-api";

const FILTERS: { value: string; label: string }[] = [
  { value: "quarantined", label: "Quarantine" },
  { value: "all", label: "All mail" },
  { value: "processed", label: "Processed" },
  { value: "duplicate", label: "Duplicates" },
  { value: "discarded", label: "Discarded" },
];

const STATUS_COLOR: Record<TInboundStatus, string> = {
  pending: "gray",
  processed: "green",
  quarantined: "red",
  duplicate: "blue",
  discarded: "gray",
};

/**
 * Inbound mail (admin): what the SMTP listener received and what became of it. The quarantine
 * holds what could not be read or processed: download it, retry it, or discard it.
 */
export function InboundMailPage() {
  const [filter, setFilter] = useState("quarantined");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const status = filter === "all" ? null : (filter as TInboundStatus);
  const list = useInboundMail(status, cursor);
  const action = useInboundAction();
  const [discarding, setDiscarding] = useState<TInboundMail | null>(null);
  const counts = list.data?.counts ?? {};

  function run(item: TInboundMail, kind: "retry" | "discard") {
    action.mutate(
      { id: item.id, action: kind },
      {
        onSuccess: (result) => {
          setDiscarding(null);
          if (kind === "discard") {
            notifications.show({ message: "Mail discarded", color: "gray" });
          } else if (result.status === "quarantined") {
            notifications.show({ title: "Still quarantined", message: result.error ?? "", color: "red" });
          } else {
            notifications.show({ message: "Mail processed", color: "green" });
          }
        },
        onError: (error) =>
          notifications.show({ title: "That did not work", message: errorText(error), color: "red" }),
      },
    );
  }

  return (
    <AdminFrame title="Inbound mail">
      <p className={classes.lead}>
        Every message the SMTP listener accepted is stored as received before anything else happens, then
        turned into a case or a message on one. Mail that cannot be read or processed waits here in the
        quarantine — never dropped — until you retry or discard it.
      </p>
      <Group mb="md">
        <SegmentedControl
          size="xs"
          value={filter}
          onChange={(value) => {
            setFilter(value);
            setCursors([null]);
          }}
          data={FILTERS.map((f) => ({
            value: f.value,
            label: f.value !== "all" && counts[f.value] ? `${f.label} (${counts[f.value]})` : f.label,
          }))}
          aria-label="Show"
        />
      </Group>
      {list.isPending ? (
        <Loader size="sm" aria-label="Loading inbound mail" />
      ) : list.isError ? (
        <Text role="alert">Inbound mail could not be loaded: {list.error.message}</Text>
      ) : list.data.items.length === 0 ? (
        <PageMessage
          icon={IconMailCheck}
          title={filter === "quarantined" ? "The quarantine is empty" : "No mail here"}
        >
          {filter === "quarantined"
            ? "Every message received so far was read and placed on a case."
            : "Mail sent to the SMTP listener (KEEPDESK_SMTP_LISTEN) shows up here."}
        </PageMessage>
      ) : (
        <>
          <table className={classes.table} aria-label="Inbound mail">
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">From</th>
                <th scope="col">Subject</th>
                <th scope="col">Status</th>
                <th scope="col">Size</th>
                <th scope="col">
                  <VisuallyHidden>Actions</VisuallyHidden>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((item) => (
                <tr key={item.id}>
                  <td className={classes.muted}>{formatStamp(item.receivedAt)}</td>
                  <td>{item.from ?? <span className={classes.muted}>unknown</span>}</td>
                  <td>
                    {item.subject ?? <span className={classes.muted}>(no subject)</span>}
                    {item.error ? (
                      <div className={classes.muted} style={{ color: "var(--mantine-color-red-7)" }}>
                        {item.error}
                      </div>
                    ) : null}
                    {item.flags.length > 0 ? (
                      <div className={classes.muted}>{item.flags.join(", ")}</div>
                    ) : null}
                  </td>
                  <td style={{ whiteSpace: "nowrap" }}>
                    <Badge
                      size="sm"
                      variant="light"
                      color={STATUS_COLOR[item.status]}
                      styles={{ label: { overflow: "visible" } }}
                    >
                      {item.status}
                    </Badge>
                    {item.caseId ? (
                      <div>
                        <Anchor component={Link} to={`/cases/${item.caseId}`} size="xs">
                          Open case
                        </Anchor>
                      </div>
                    ) : null}
                  </td>
                  <td className={classes.muted} style={{ whiteSpace: "nowrap" }}>
                    {formatSize(item.size)}
                  </td>
                  <td>
                    <Group gap={6} wrap="nowrap" justify="flex-end">
                      <Button
                        component="a"
                        href={rawMailUrl(item.id)}
                        download
                        size="compact-xs"
                        variant="subtle"
                        leftSection={<IconDownload size={14} aria-hidden />}
                        aria-label={`Download the raw message ${item.subject ?? ""}`}
                      >
                        .eml
                      </Button>
                      {item.status === "quarantined" ? (
                        <>
                          <Button
                            size="compact-xs"
                            variant="light"
                            leftSection={<IconRefresh size={14} aria-hidden />}
                            loading={
                              action.isPending &&
                              action.variables?.id === item.id &&
                              action.variables.action === "retry"
                            }
                            onClick={() => run(item, "retry")}
                          >
                            Retry
                          </Button>
                          <Button
                            size="compact-xs"
                            variant="subtle"
                            color="red"
                            leftSection={<IconTrash size={14} aria-hidden />}
                            onClick={() => setDiscarding(item)}
                          >
                            Discard
                          </Button>
                        </>
                      ) : null}
                    </Group>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Group mt="md" gap="xs">
            {cursors.length > 1 ? (
              <Button size="xs" variant="default" onClick={() => setCursors(cursors.slice(0, -1))}>
                Newer
              </Button>
            ) : null}
            {list.data.nextCursor ? (
              <Button
                size="xs"
                variant="default"
                onClick={() => setCursors([...cursors, list.data.nextCursor])}
              >
                Older
              </Button>
            ) : null}
          </Group>
        </>
      )}
      <ConfirmDialog
        opened={discarding !== null}
        onClose={() => setDiscarding(null)}
        onConfirm={() => discarding && run(discarding, "discard")}
        title="Discard this mail?"
        confirmLabel="Discard"
        busy={action.isPending}
      >
        It leaves the quarantine without becoming a case. The raw message stays downloadable from “All mail”.
      </ConfirmDialog>
    </AdminFrame>
  );
}
