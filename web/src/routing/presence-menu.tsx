import { Menu, VisuallyHidden } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconArrowBackUp, IconCheck } from "@tabler/icons-react";
import { ApiError } from "../api/problem";
import { useCurrentUser } from "../auth/session";
import { useAnnounce } from "../components/live-region";
import { presenceColor, presenceLabel } from "../components/presence";
import { type TPresence, useHandBack, useSetPresence } from "./api";

const STATES: readonly TPresence[] = ["available", "away", "offline"];

const hint: Record<TPresence, string> = {
  available: "New cases come to you",
  away: "No new cases",
  offline: "No new cases",
};

/**
 * The header's presence switch (inside the user menu): available, away, offline; and handing
 * back the cases nobody has started yet, which return to their queues for someone else.
 */
export function PresenceMenuItems() {
  const user = useCurrentUser();
  const setPresence = useSetPresence();
  const handBack = useHandBack();
  const announce = useAnnounce();
  const worksCases = user.role !== "sales";

  function choose(status: TPresence) {
    if (status === user.status) return;
    setPresence.mutate(status, {
      onSuccess: () => announce(`You are ${presenceLabel[status].toLowerCase()}`),
      onError: (failure) =>
        notifications.show({
          color: "red",
          title: "Your status could not be changed",
          message: failure instanceof ApiError ? failure.message : "Try again.",
        }),
    });
  }

  function giveBack() {
    handBack.mutate(user.status === "available" ? undefined : user.status, {
      onSuccess: ({ items }) => {
        const message =
          items.length === 0
            ? "You have no cases that nobody has started."
            : `${items.length} case${items.length === 1 ? "" : "s"} went back to ${items.length === 1 ? "its queue" : "their queues"}: ${items.map((c) => c.number).join(", ")}`;
        notifications.show({ color: items.length ? "green" : "gray", message });
        announce(message);
      },
      onError: (failure) =>
        notifications.show({
          color: "red",
          title: "Cases could not be handed back",
          message: failure instanceof ApiError ? failure.message : "Try again.",
        }),
    });
  }

  return (
    <>
      <Menu.Label>Status</Menu.Label>
      {STATES.map((status) => (
        <Menu.Item
          key={status}
          leftSection={
            <span
              aria-hidden
              style={{
                display: "inline-block",
                width: 10,
                height: 10,
                borderRadius: 5,
                background: presenceColor[status],
              }}
            />
          }
          rightSection={user.status === status ? <IconCheck size={14} aria-hidden /> : null}
          onClick={() => choose(status)}
          closeMenuOnClick={false}
        >
          {presenceLabel[status]}
          {user.status === status ? <VisuallyHidden> (current)</VisuallyHidden> : null}
          <span style={{ display: "block", fontSize: 11, color: "var(--mantine-color-dimmed)" }}>
            {hint[status]}
          </span>
        </Menu.Item>
      ))}
      {worksCases ? (
        <Menu.Item
          leftSection={<IconArrowBackUp size={16} stroke={1.7} aria-hidden />}
          onClick={giveBack}
          disabled={handBack.isPending}
        >
          Hand back cases not started
        </Menu.Item>
      ) : null}
    </>
  );
}
