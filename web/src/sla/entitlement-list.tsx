import { Button, Loader, Text, UnstyledButton } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { useState } from "react";
import { useCurrentUser } from "../auth/session";
import { type TEntitlement, useEntitlements } from "./api";
import { RemainingBar } from "./case-sla";
import { canEditEntitlements, EntitlementEditor } from "./entitlement-editor";
import { entitlementStatusLabel, formatDay } from "./entitlement-format";
import classes from "./sla.module.css";

export function EntitlementStatusBadge({ status }: { status: TEntitlement["status"] }) {
  return (
    <span className={classes.status} data-status={status}>
      {entitlementStatusLabel[status]}
    </span>
  );
}

/** One entitlement: name and status, what is left (a bar), its period. */
export function EntitlementSummary({ item }: { item: TEntitlement }) {
  return (
    <div className={classes.entItem}>
      <div className={classes.entHead}>
        <span className={classes.entName}>{item.name}</span>
        <EntitlementStatusBadge status={item.status} />
      </div>
      <RemainingBar remaining={item.remaining} total={item.total} unit={item.unit} />
      <span className={classes.entMeta}>
        {formatDay(item.startsOn)} – {formatDay(item.endsOn)}
      </span>
    </div>
  );
}

/** The account screen's card: its entitlements, and a way to add or change one. */
export function AccountEntitlements({
  accountId,
  headingClassName,
}: {
  accountId: string;
  headingClassName?: string;
}) {
  const user = useCurrentUser();
  const list = useEntitlements(accountId);
  const mayEdit = canEditEntitlements(user.role);
  const [editing, setEditing] = useState<TEntitlement | null>(null);
  const [opened, setOpened] = useState(false);
  const items = list.data ?? [];

  function open(item: TEntitlement | null) {
    setEditing(item);
    setOpened(true);
  }

  return (
    <section aria-labelledby="entitlements-title" data-testid="account-entitlements">
      <h2 id="entitlements-title" className={headingClassName}>
        Entitlements
      </h2>
      {list.isPending ? (
        <Loader size="xs" aria-label="Loading entitlements" />
      ) : list.isError ? (
        <Text size="sm" role="alert">
          Entitlements could not be loaded: {list.error.message}
        </Text>
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No entitlements. An entitlement is what the customer bought: so many cases or hours of support for a
          period, perhaps with its own SLA.
        </Text>
      ) : (
        <ul className={classes.entList}>
          {items.map((item) => (
            <li key={item.id}>
              {mayEdit ? (
                <UnstyledButton onClick={() => open(item)} title="Edit" className={classes.entButton}>
                  <EntitlementSummary item={item} />
                </UnstyledButton>
              ) : (
                <EntitlementSummary item={item} />
              )}
            </li>
          ))}
        </ul>
      )}
      {mayEdit ? (
        <Button
          mt={10}
          size="compact-sm"
          variant="default"
          leftSection={<IconPlus size={13} aria-hidden />}
          onClick={() => open(null)}
        >
          New entitlement
        </Button>
      ) : null}
      {mayEdit ? (
        <EntitlementEditor
          opened={opened}
          onClose={() => setOpened(false)}
          entitlement={editing}
          accountId={accountId}
        />
      ) : null}
    </section>
  );
}
