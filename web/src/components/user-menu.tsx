import { Avatar, Box, Group, Indicator, Kbd, Menu, Text, UnstyledButton } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconChevronDown, IconKeyboard, IconLogout } from "@tabler/icons-react";
import { ApiError } from "../api/problem";
import { useCurrentUser, useSignOut } from "../auth/session";
import { PresenceMenuItems } from "../routing/presence-menu";
import { presenceColor, presenceLabel } from "./presence";
import classes from "./user-menu.module.css";

const roleLabel = { admin: "Administrator", manager: "Manager", agent: "Agent", sales: "Sales" } as const;

export function UserMenu({ onShowShortcuts }: { onShowShortcuts: () => void }) {
  const user = useCurrentUser();
  const signOut = useSignOut();
  const presence = presenceLabel[user.status];

  function onSignOut() {
    signOut.mutate(undefined, {
      onError: (error) =>
        notifications.show({
          color: "red",
          title: "You're still signed in",
          message:
            error instanceof ApiError && error.status === 0
              ? "Keepdesk couldn't be reached to sign you out. Check your connection and try again."
              : `Signing out failed${error instanceof ApiError ? ` (${error.status})` : ""}. Try again.`,
        }),
    });
  }

  return (
    <Menu position="bottom-end" width={240} radius="md" shadow="md" offset={6}>
      <Menu.Target>
        <UnstyledButton className={classes.target} aria-label={`${user.name}, ${presence}. Account menu`}>
          <Group gap={10} wrap="nowrap">
            <Indicator
              color={presenceColor[user.status]}
              position="bottom-end"
              size={10}
              offset={4}
              withBorder
              aria-hidden
            >
              <Avatar name={user.name} size={32} radius="xl" classNames={{ placeholder: classes.avatar }} />
            </Indicator>
            <Box visibleFrom="sm" className={classes.identity}>
              <Text size="sm" fw={600} c="gray.9" lh={1.25} truncate>
                {user.name}
              </Text>
              <Text size="xs" c="dimmed" lh={1.25}>
                {presence}
              </Text>
            </Box>
            <IconChevronDown size={14} stroke={1.8} className={classes.chevron} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Box px="sm" py={8}>
          <Text size="sm" fw={600} truncate>
            {user.name}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {user.email}
          </Text>
          <Group gap={6} mt={6}>
            <span className={classes.dot} style={{ background: presenceColor[user.status] }} aria-hidden />
            <Text size="xs" c="gray.8">
              {presence} · {roleLabel[user.role]}
            </Text>
          </Group>
        </Box>
        <Menu.Divider />
        <PresenceMenuItems />
        <Menu.Divider />
        <Menu.Item
          leftSection={<IconKeyboard size={16} stroke={1.7} aria-hidden />}
          rightSection={<Kbd aria-hidden>?</Kbd>}
          onClick={onShowShortcuts}
        >
          Keyboard shortcuts
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item
          leftSection={<IconLogout size={16} stroke={1.7} aria-hidden />}
          onClick={onSignOut}
          disabled={signOut.isPending}
        >
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
