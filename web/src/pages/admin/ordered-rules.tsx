import { ActionIcon, Group, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconArrowDown, IconArrowUp } from "@tabler/icons-react";
import { useState } from "react";
import { ApiError } from "../../api/problem";
import { useAnnounce } from "../../components/live-region";
import { reorder } from "./policy-model";

/** An ordered, switchable rule (SLA policy, routing rule): evaluated lowest `order` first. */
type TOrderedRule = { id: string; name: string; order: number; active: boolean };

/** Saves one change to a rule; the page's own PATCH mutation. */
type TSave = (change: { id: string; patch: { order?: number; active?: boolean } }) => Promise<unknown>;

/**
 * Moving rules up and down and switching them on and off, the same way on every admin list
 * whose order decides what applies: each change is saved, announced to screen readers, and a
 * failure is shown rather than swallowed.
 */
export function useOrderedRules<T extends TOrderedRule>(rules: readonly T[], save: TSave) {
  const announce = useAnnounce();
  const [moving, setMoving] = useState(false);

  async function move(index: number, delta: -1 | 1) {
    const rule = rules[index];
    const changes = reorder(rules, index, delta);
    if (!rule || changes.length === 0) return;
    setMoving(true);
    try {
      await Promise.all(changes.map((change) => save({ id: change.id, patch: { order: change.order } })));
      announce(`${rule.name} moved ${delta < 0 ? "up" : "down"} to place ${index + delta + 1}`);
    } catch (failure) {
      notifications.show({
        color: "red",
        title: "The order could not be changed",
        message: failure instanceof ApiError ? failure.message : "Try again.",
      });
    } finally {
      setMoving(false);
    }
  }

  async function toggle(rule: T, on: boolean) {
    try {
      await save({ id: rule.id, patch: { active: on } });
      announce(`${rule.name} ${on ? "switched on" : "switched off"}`);
    } catch (failure) {
      notifications.show({
        color: "red",
        title: `${rule.name} could not be changed`,
        message: failure instanceof ApiError ? failure.message : "Try again.",
      });
    }
  }

  return { moving, move, toggle };
}

/** The up / down buttons of one row. */
export function MoveButtons(props: {
  name: string;
  index: number;
  count: number;
  disabled: boolean;
  onMove: (index: number, delta: -1 | 1) => void;
}) {
  const { name, index, count, disabled, onMove } = props;
  return (
    <Group gap={2} wrap="nowrap">
      <Tooltip label="Move up">
        <ActionIcon
          variant="subtle"
          color="gray"
          size={28}
          disabled={index === 0 || disabled}
          onClick={() => onMove(index, -1)}
          aria-label={`Move ${name} up`}
        >
          <IconArrowUp size={15} aria-hidden />
        </ActionIcon>
      </Tooltip>
      <Tooltip label="Move down">
        <ActionIcon
          variant="subtle"
          color="gray"
          size={28}
          disabled={index === count - 1 || disabled}
          onClick={() => onMove(index, 1)}
          aria-label={`Move ${name} down`}
        >
          <IconArrowDown size={15} aria-hidden />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}
