import { Button, Loader, Switch, Text } from "@mantine/core";
import { IconClockShield, IconPlus } from "@tabler/icons-react";
import { Link } from "react-router-dom";
import { PageMessage } from "../../components/page";
import { useCalendars, usePatchPolicy, usePolicies } from "../../sla/api";
import classes from "./admin.module.css";
import { AdminFrame } from "./admin-page";
import { MoveButtons, useOrderedRules } from "./ordered-rules";
import { conditionsSummary, targetsSummary, warningSummary } from "./policy-model";

/** SLA policies in evaluation order: the first active one whose conditions hold applies. */
export function PoliciesPage() {
  const { policies, isPending, isError, error } = usePolicies();
  const { byId: calendars } = useCalendars();
  const patch = usePatchPolicy();
  const { moving, move, toggle } = useOrderedRules(policies, (change) => patch.mutateAsync(change));

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
                    onChange={(event) => void toggle(policy, event.currentTarget.checked)}
                    aria-label={`${policy.name} active`}
                  />
                </td>
                <td>
                  <MoveButtons
                    name={policy.name}
                    index={index}
                    count={policies.length}
                    disabled={moving}
                    onMove={(at, delta) => void move(at, delta)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminFrame>
  );
}
