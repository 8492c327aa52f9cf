import {
  ActionIcon,
  Button,
  EmptyState,
  Group,
  Indicator,
  Loader,
  Popover,
  ScrollArea,
  Text,
  Tooltip,
  UnstyledButton,
  VisuallyHidden,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconBell, IconBellCheck } from "@tabler/icons-react";
import { useCallback } from "react";
import { useNavigate } from "react-router-dom";
import { useAnnounce } from "../components/live-region";
import { type TLiveEvent, useLiveEvent } from "../live/live-updates";
import { formatDateTime, relativeTime } from "../pages/cases/case-format";
import { useNow } from "../pages/cases/use-now";
import {
  type TNotification,
  useLatestNotifications,
  useMarkAllNotificationsRead,
  useMarkNotificationRead,
} from "./api";
import classes from "./notification-bell.module.css";

/**
 * The bell in the header: the unread count as a badge, and a popover with the latest
 * notifications. Opening one marks it read and goes to its link. The live stream brings new
 * ones (only the signed-in user's own reach this browser).
 */
export function NotificationBell() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const latest = useLatestNotifications();
  const markRead = useMarkNotificationRead();
  const markAll = useMarkAllNotificationsRead();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const unread = latest.data?.unreadCount ?? 0;
  const label = unread > 0 ? `Notifications, ${unread} unread` : "Notifications";

  useLiveEvent(
    useCallback(
      (event: TLiveEvent) => {
        if (event.type === "notification.created") announce("New notification");
      },
      [announce],
    ),
  );

  function openNotification(n: TNotification) {
    if (!n.readAt) markRead.mutate(n.id);
    close();
    if (n.link) navigate(n.link);
  }

  return (
    <Popover
      opened={opened}
      onDismiss={close}
      position="bottom-end"
      width={380}
      radius="md"
      shadow="md"
      offset={6}
      trapFocus
      returnFocus
    >
      <Tooltip label="Notifications" disabled={opened}>
        <Popover.Target>
          <ActionIcon variant="subtle" color="gray" size={36} radius="md" onClick={toggle} aria-label={label}>
            <Indicator
              label={unread}
              maxValue={99}
              disabled={unread === 0}
              size={16}
              offset={2}
              color="red"
              className={classes.indicator}
              aria-hidden
            >
              <IconBell size={20} stroke={1.6} aria-hidden />
            </Indicator>
          </ActionIcon>
        </Popover.Target>
      </Tooltip>
      <Popover.Dropdown p={0} aria-label="Notifications">
        <Group justify="space-between" px="md" py="sm" className={classes.head}>
          <Text fw={600} size="sm">
            Notifications
          </Text>
          <Button
            variant="subtle"
            size="compact-sm"
            leftSection={<IconBellCheck size={16} stroke={1.7} aria-hidden />}
            // Not `disabled`: that would drop the focus (the popover traps it) once all are read.
            data-disabled={unread === 0 || undefined}
            aria-disabled={unread === 0}
            onClick={() => {
              if (unread > 0 && !markAll.isPending) markAll.mutate();
            }}
          >
            Mark all read
          </Button>
        </Group>
        <ScrollArea.Autosize mah={440} type="auto">
          <NotificationList query={latest} onOpen={openNotification} />
        </ScrollArea.Autosize>
      </Popover.Dropdown>
    </Popover>
  );
}

function NotificationList({
  query,
  onOpen,
}: {
  query: ReturnType<typeof useLatestNotifications>;
  onOpen: (n: TNotification) => void;
}) {
  const now = useNow();
  if (query.isPending) {
    return (
      <Group justify="center" p="lg">
        <Loader size="sm" aria-label="Loading notifications" />
      </Group>
    );
  }
  if (query.isError) {
    return (
      <Group justify="space-between" p="md" wrap="nowrap">
        <Text size="sm" c="dimmed">
          Notifications could not be loaded.
        </Text>
        <Button variant="light" size="compact-sm" onClick={() => void query.refetch()}>
          Retry
        </Button>
      </Group>
    );
  }
  const items = query.data.items;
  if (items.length === 0) {
    return (
      <EmptyState
        className={classes.empty}
        icon={<IconBell size={22} stroke={1.6} />}
        withIndicatorBackground
        size="sm"
        title="You're all caught up"
        description="SLA warnings, reminders and other things that need you will show up here."
      />
    );
  }
  return (
    <ul className={classes.list}>
      {items.map((n, index) => (
        <li key={n.id}>
          <UnstyledButton
            className={classes.item}
            data-autofocus={index === 0 || undefined}
            data-unread={n.readAt ? undefined : true}
            onClick={() => onOpen(n)}
          >
            <span className={classes.dot} aria-hidden />
            <span className={classes.text}>
              {!n.readAt && <VisuallyHidden>Unread: </VisuallyHidden>}
              <Text component="span" size="sm" fw={n.readAt ? 500 : 650} c="gray.9" lineClamp={2}>
                {n.title}
              </Text>
              {n.body && (
                <Text component="span" size="xs" c="gray.7" lineClamp={2}>
                  {n.body}
                </Text>
              )}
              <Text
                component="time"
                size="xs"
                c="dimmed"
                dateTime={n.createdAt}
                title={formatDateTime(n.createdAt)}
              >
                {relativeTime(n.createdAt, now)}
              </Text>
            </span>
          </UnstyledButton>
        </li>
      ))}
    </ul>
  );
}
