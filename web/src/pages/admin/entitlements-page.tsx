import { Anchor, Button, Group, Loader, Text, UnstyledButton } from "@mantine/core";
import { IconPlus, IconTicket } from "@tabler/icons-react";
import { useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { useCurrentUser } from "../../auth/session";
import { PageMessage } from "../../components/page";
import { AccountPicker } from "../../sla/account-picker";
import { type TEntitlement, useEntitlements, usePolicies } from "../../sla/api";
import { RemainingBar } from "../../sla/case-sla";
import { canEditEntitlements, EntitlementEditor } from "../../sla/entitlement-editor";
import { formatDay } from "../../sla/entitlement-format";
import { EntitlementStatusBadge } from "../../sla/entitlement-list";
import { useAccountsById } from "../cases/use-customers";
import classes from "./admin.module.css";
import { AdminFrame } from "./admin-page";

/** Every entitlement (or one account's), what is left of each, and an editor. */
export function EntitlementsPage() {
  const user = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const accountId = params.get("account");
  const list = useEntitlements(accountId);
  const items = list.data ?? [];
  const accounts = useAccountsById(items.map((item) => item.accountId));
  const { byId: policies } = usePolicies();
  const mayEdit = canEditEntitlements(user.role);
  const [editing, setEditing] = useState<TEntitlement | null>(null);
  const [opened, setOpened] = useState(false);

  function open(item: TEntitlement | null) {
    setEditing(item);
    setOpened(true);
  }

  return (
    <AdminFrame
      title="Entitlements"
      actions={
        mayEdit ? (
          <Button size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => open(null)}>
            New entitlement
          </Button>
        ) : null
      }
    >
      <p className={classes.lead}>
        What each customer bought: so many cases or hours of support for a period, perhaps for some channels
        or products only, perhaps with its own SLA policy. A case that arrives when it is used up or expired
        is flagged for a manager (or refused, if the entitlement says so).
      </p>
      <Group mb="md" align="flex-end">
        <AccountPicker
          label="Account"
          placeholder="All accounts"
          value={accountId}
          onChange={(id) => setParams(id ? { account: id } : {}, { replace: true })}
          size="xs"
          w={280}
        />
      </Group>
      {list.isPending ? (
        <Loader size="sm" aria-label="Loading entitlements" />
      ) : list.isError ? (
        <Text role="alert">Entitlements could not be loaded: {list.error.message}</Text>
      ) : items.length === 0 ? (
        <PageMessage
          icon={IconTicket}
          title={accountId ? "This account has no entitlements" : "No entitlements yet"}
        >
          {mayEdit
            ? "Add one with “New entitlement”, here or on the account's page."
            : "Sales, managers and administrators add them."}
        </PageMessage>
      ) : (
        <table className={classes.table} aria-label="Entitlements">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Account</th>
              <th scope="col" style={{ width: 200 }}>
                Left
              </th>
              <th scope="col">Period</th>
              <th scope="col">Status</th>
              <th scope="col">SLA policy</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => {
              const account = accounts.get(item.accountId);
              return (
                <tr key={item.id}>
                  <td>
                    {mayEdit ? (
                      <UnstyledButton className={classes.rowLink} onClick={() => open(item)}>
                        {item.name}
                      </UnstyledButton>
                    ) : (
                      item.name
                    )}
                    {item.products?.length || item.channels?.length ? (
                      <div className={classes.muted}>
                        {[...(item.channels ?? []), ...(item.products ?? [])].join(", ")}
                      </div>
                    ) : null}
                  </td>
                  <td>
                    <Anchor component={Link} to={`/accounts/${item.accountId}`} size="sm">
                      {account?.name ?? "…"}
                    </Anchor>
                  </td>
                  <td>
                    <RemainingBar remaining={item.remaining} total={item.total} unit={item.unit} />
                  </td>
                  <td className={classes.muted}>
                    {formatDay(item.startsOn)} – {formatDay(item.endsOn)}
                  </td>
                  <td>
                    <EntitlementStatusBadge status={item.status} />
                  </td>
                  <td>
                    {item.slaPolicyId ? (
                      (policies.get(item.slaPolicyId)?.name ?? "…")
                    ) : (
                      <span className={classes.muted}>by conditions</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {mayEdit ? (
        <EntitlementEditor
          opened={opened}
          onClose={() => setOpened(false)}
          entitlement={editing}
          accountId={editing ? editing.accountId : null}
        />
      ) : null}
    </AdminFrame>
  );
}
