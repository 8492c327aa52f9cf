import { Button, Group, Loader, Menu, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import {
  IconChecklist,
  IconChevronDown,
  IconClock,
  IconHeartHandshake,
  IconPhone,
} from "@tabler/icons-react";
import { useState } from "react";
import { ApiError } from "../api/problem";
import { useAnnounce } from "../components/live-region";
import type { TContact } from "../customers/api";
import type { TCase } from "../pages/cases/api";
import classes from "./activities.module.css";
import { ActivityDialog } from "./activity-dialog";
import { formatWhen } from "./activity-format";
import { type TPromiseTime, useCreateActivity, usePromiseTimes } from "./api";

function problemText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return "Keepdesk can't be reached; nothing was saved.";
    return error.problem?.errors?.[0]?.message ?? error.problem?.detail ?? error.message;
  }
  return "Something went wrong. Try again.";
}

type TDialog = "promise" | "call" | "task" | null;

/**
 * The case header's follow-up actions: promise a call-back in two clicks (the button, then a
 * quick pick in the customer's time zone), log a call, add a task.
 */
export function CaseActivityBar({
  item,
  contact,
  disabled = false,
}: {
  item: TCase;
  contact: TContact | undefined;
  disabled?: boolean;
}) {
  const announce = useAnnounce();
  const create = useCreateActivity();
  const [menuOpen, setMenuOpen] = useState(false);
  const [dialog, setDialog] = useState<TDialog>(null);
  const times = usePromiseTimes(item.id, menuOpen);
  const who = contact?.name ?? "the customer";
  const firstName = who.split(/\s+/)[0] ?? who;
  const canPromise = Boolean(item.contactId || item.accountId);

  function promiseAt(pick: TPromiseTime) {
    const theirs = times.data?.zoneOf === "you" ? "" : ` (${pick.customerTime} their time)`;
    create.mutate(
      { type: "promise", subject: `Get back to ${firstName}`, caseId: item.id, dueAt: pick.at },
      {
        onSuccess: () => {
          const message = `Promise made: get back to ${firstName} by ${formatWhen(pick.at)}${theirs}`;
          notifications.show({ message, color: "green" });
          announce(message);
        },
        onError: (error) => {
          notifications.show({ title: "Promise not made", message: problemText(error), color: "red" });
          announce(`Promise not made: ${problemText(error)}`);
        },
      },
    );
  }

  return (
    <Group gap={6} wrap="nowrap" className={classes.bar} data-testid="case-activity-bar">
      <Menu
        opened={menuOpen}
        onChange={setMenuOpen}
        position="bottom-end"
        width={300}
        shadow="md"
        radius="md"
        disabled={disabled || !canPromise}
      >
        <Menu.Target>
          <Button
            variant="light"
            color="grape"
            size="compact-sm"
            leftSection={<IconHeartHandshake size={15} aria-hidden />}
            rightSection={<IconChevronDown size={13} aria-hidden />}
            disabled={disabled || !canPromise}
            loading={create.isPending && create.variables?.type === "promise"}
            title={canPromise ? undefined : "Add a contact to the case to promise them a call-back"}
          >
            Promise
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>
            Get back to {who} by…
            {times.data && times.data.zoneOf !== "you" ? (
              <Text span size="xs" c="dimmed" display="block">
                their time: {times.data.timeZone}
              </Text>
            ) : null}
          </Menu.Label>
          {times.isPending ? (
            <Group justify="center" p="sm">
              <Loader size="xs" aria-label="Loading times" />
            </Group>
          ) : times.isError ? (
            <Text size="sm" c="red.8" px="sm" py={6} role="alert">
              The times could not be loaded: {problemText(times.error)}
            </Text>
          ) : (
            times.data.items.map((pick) => (
              <Menu.Item
                key={pick.key}
                onClick={() => promiseAt(pick)}
                leftSection={<IconClock size={15} aria-hidden />}
                data-testid={`promise-${pick.key}`}
              >
                <div className={classes.pickLabel}>{pick.label}</div>
                <div className={classes.pickTimes}>
                  {formatWhen(pick.at)} your time
                  {times.data.zoneOf === "you" ? "" : ` · ${pick.customerTime} theirs`}
                </div>
              </Menu.Item>
            ))
          )}
          <Menu.Divider />
          <Menu.Item onClick={() => setDialog("promise")}>Another time or wording…</Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Button
        variant="default"
        size="compact-sm"
        leftSection={<IconPhone size={15} aria-hidden />}
        onClick={() => setDialog("call")}
        disabled={disabled}
      >
        Log call
      </Button>
      <Button
        variant="default"
        size="compact-sm"
        leftSection={<IconChecklist size={15} aria-hidden />}
        onClick={() => setDialog("task")}
        disabled={disabled}
      >
        Task
      </Button>
      {dialog ? (
        <ActivityDialog
          kind={dialog}
          caseId={item.id}
          who={who}
          onClose={() => setDialog(null)}
          onSaved={(message) => {
            setDialog(null);
            notifications.show({ message, color: "green" });
            announce(message);
          }}
        />
      ) : null}
    </Group>
  );
}
