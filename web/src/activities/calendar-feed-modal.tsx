import { Alert, Button, CopyButton, Group, Modal, NumberInput, Stack, Text } from "@mantine/core";
import { IconCheck, IconCopy } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { ApiError } from "../api/problem";
import { formatDateTime } from "../pages/cases/case-format";
import classes from "./activities.module.css";
import {
  useActivitySettings,
  useCreateCalendarFeed,
  useRevokeCalendarFeed,
  useUpdateActivitySettings,
} from "./api";

function problemText(error: unknown): string {
  if (error instanceof ApiError) return error.problem?.detail ?? error.message;
  return "Something went wrong. Try again.";
}

/** Your calendar feed (a secret .ics URL, shown once) and your default reminder time. */
export function CalendarFeedModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const settings = useActivitySettings();
  const create = useCreateCalendarFeed();
  const revoke = useRevokeCalendarFeed();
  const save = useUpdateActivitySettings();
  const [url, setUrl] = useState<string | null>(null);
  const [reminder, setReminder] = useState<number | string>("");

  useEffect(() => {
    if (settings.data) setReminder(settings.data.reminderMinutes);
  }, [settings.data]);
  useEffect(() => {
    if (!opened) setUrl(null);
  }, [opened]);

  const feed = settings.data?.calendarFeed;
  const error = create.error ?? revoke.error ?? save.error;

  return (
    <Modal opened={opened} onClose={onClose} title="Calendar and reminders" size="lg" radius="lg" centered>
      <Stack gap="lg">
        {error ? (
          <Alert color="red" variant="light" role="alert">
            {problemText(error)}
          </Alert>
        ) : null}
        <section aria-labelledby="feed-title">
          <Text fw={650} id="feed-title" mb={4}>
            Calendar feed
          </Text>
          <Text size="sm" c="dimmed" mb="sm">
            Subscribe to your appointments, promises and due tasks from Google Calendar, Outlook or Apple
            Calendar. The address is a secret: anyone who has it sees your calendar.
          </Text>
          {url ? (
            <Stack gap={6}>
              <Text size="sm" fw={600}>
                Your feed address (shown this once):
              </Text>
              <Group gap={6} wrap="nowrap" align="flex-start">
                <code className={classes.feedUrl} data-testid="feed-url">
                  {url}
                </code>
                <CopyButton value={url}>
                  {({ copied, copy }) => (
                    <Button
                      size="compact-sm"
                      variant="default"
                      style={{ flex: "none" }}
                      onClick={copy}
                      leftSection={
                        copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />
                      }
                    >
                      {copied ? "Copied" : "Copy"}
                    </Button>
                  )}
                </CopyButton>
              </Group>
            </Stack>
          ) : (
            <Text size="sm">
              {feed?.active
                ? `On since ${feed.createdAt ? formatDateTime(feed.createdAt) : "earlier"}. A new address replaces the old one.`
                : "Off."}
            </Text>
          )}
          <Group gap="sm" mt="sm">
            <Button
              size="xs"
              loading={create.isPending}
              onClick={() => create.mutate(undefined, { onSuccess: (data) => setUrl(data.url) })}
            >
              {feed?.active ? "New address" : "Turn on"}
            </Button>
            {feed?.active ? (
              <Button
                size="xs"
                variant="default"
                color="red"
                loading={revoke.isPending}
                onClick={() => revoke.mutate(undefined, { onSuccess: () => setUrl(null) })}
              >
                Turn off
              </Button>
            ) : null}
          </Group>
        </section>
        <section aria-labelledby="reminder-title">
          <Text fw={650} id="reminder-title" mb={4}>
            Reminders
          </Text>
          <Group gap="sm" align="flex-end">
            <NumberInput
              label="Remind me (minutes before due)"
              min={1}
              max={10_080}
              allowDecimal={false}
              allowNegative={false}
              value={reminder}
              onChange={setReminder}
              w={240}
            />
            <Button
              size="sm"
              variant="default"
              loading={save.isPending}
              disabled={typeof reminder !== "number" || reminder === settings.data?.reminderMinutes}
              onClick={() => typeof reminder === "number" && save.mutate({ reminderMinutes: reminder })}
            >
              Save
            </Button>
          </Group>
          <Text size="xs" c="dimmed" mt={4}>
            In the app and by email. Applies to what you plan from now on.
          </Text>
        </section>
      </Stack>
    </Modal>
  );
}
