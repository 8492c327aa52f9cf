import { ActionIcon, Button, Group, Loader, Switch, Text, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconArrowDown, IconArrowUp, IconClockShield, IconPlus } from "@tabler/icons-react";
import { useState } from "react";
import { Link } from "react-router-dom";
import { ApiError } from "../../api/problem";
import { useAnnounce } from "../../components/live-region";
import { PageMessage } from "../../components/page";
import { type TPolicy, useCalendars, usePatchPolicy, usePolicies } from "../../sla/api";
import classes from "./admin.module.css";
import { AdminFrame } from "./admin-page";
import { conditionsSummary, reorder, targetsSummary, warningSummary } from "./policy-model";

/** SLA policies in evaluation order: the first active one whose conditions hold applies. */
export function PoliciesPage() {
  const { policies, isPending, isError, error } = usePolicies();
  const { byId: calendars } = useCalendars();
  const patch = usePatchPolicy();
  const announce = useAnnounce();
  const [moving, setMoving] = useState(false);

  async function move(index: number, delta: -1 | 1) {
    const policy = policies[index] as TPolicy;
    const changes = reorder(policies, index, delta);
    if (changes.length === 0) return;
    setMoving(true);
    try {
      await Promise.all(
        changes.map((change) => patch.mutateAsync({ id: change.id, patch: { order: change.order } })),
      );
      announce(`${policy.name} moved ${delta < 0 ? "up" : "down"} to place ${index + delta + 1}`);
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

  function toggle(policy: TPolicy, active: boolean) {
    patch.mutate(
      { id: policy.id, patch: { active } },
      {
        onSuccess: () => announce(`${policy.name} ${active ? "switched on" : "switched off"}`),
        onError: (failure) =>
          notifications.show({
            color: "red",
            title: `${policy.name} could not be changed`,
            message: failure instanceof ApiError ? failure.message : "Try again.",
          }),
      },
    );
  }

  return (
    <AdminFrame
      title="SLA policies"
      actions={
        <Button
          component={Link}
          to="/admin/sla-policies/new"
          size="xs"
          leftSection={<IconPlus size={14} aria-hidden />}
        >
          New policy
        </Button>
      }
    >
      <p className={classes.lead}>
        When a case arrives (and when its priority or customer changes), the first active policy from the top
        whose conditions all hold sets its targets. An entitlement that brings its own policy wins over the
        list. Targets count business time in the policy's calendar.
      </p>
      {isPending ? (
        <Loader size="sm" aria-label="Loading SLA policies" />
      ) : isError ? (
        <Text role="alert">SLA policies could not be loaded: {error.message}</Text>
      ) : policies.length === 0 ? (
        <PageMessage
          icon={IconClockShield}
          title="No SLA policies yet"
          action={
            <Button component={Link} to="/admin/sla-policies/new" variant="light" mt="xs">
              Create the first policy
            </Button>
          }
        >
          Without a policy, cases carry no SLA clocks. Create one for every case, then more specific ones
          above it.
        </PageMessage>
      ) : (
        <table className={classes.table} aria-label="SLA policies in evaluation order">
          <thead>
            <tr>
              <th scope="col" className={classes.num}>
                Order
              </th>
              <th scope="col">Name</th>
              <th scope="col">Applies to</th>
              <th scope="col">First response / resolution</th>
              <th scope="col">Calendar</th>
              <th scope="col">Active</th>
              <th scope="col">Move</th>
            </tr>
          </thead>
          <tbody>
            {policies.map((policy, index) => (
              <tr key={policy.id} data-inactive={policy.active ? undefined : ""} data-testid="policy-row">
                <td className={classes.num}>{policy.order}</td>
                <td>
                  <Link to={`/admin/sla-policies/${policy.id}`} className={classes.rowLink}>
                    {policy.name}
                  </Link>
                </td>
                <td>{conditionsSummary(policy.appliesWhen)}</td>
                <td>
                  {targetsSummary(policy)}
                  <div className={classes.muted}>{warningSummary(policy)}</div>
                </td>
                <td>{calendars.get(policy.calendarId)?.name ?? "…"}</td>
                <td>
                  <Switch
                    checked={policy.active}
                    onChange={(event) => toggle(policy, event.currentTarget.checked)}
                    aria-label={`${policy.name} active`}
                  />
                </td>
                <td>
                  <Group gap={2} wrap="nowrap">
                    <Tooltip label="Move up">
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        size={28}
                        disabled={index === 0 || moving}
                        onClick={() => void move(index, -1)}
                        aria-label={`Move ${policy.name} up`}
                      >
                        <IconArrowUp size={15} aria-hidden />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label="Move down">
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        size={28}
                        disabled={index === policies.length - 1 || moving}
                        onClick={() => void move(index, 1)}
                        aria-label={`Move ${policy.name} down`}
                      >
                        <IconArrowDown size={15} aria-hidden />
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminFrame>
  );
}
