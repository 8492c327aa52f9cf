import { Table, Text } from "@mantine/core";
import { Link } from "react-router-dom";
import { useStaffUsers } from "../../customers/api";
import { HealthChip, KeyBadge } from "../../customers/badges";
import { formatMoney, useReadyForOffer } from "../../health/api";

/** Healthy accounts with no open problem, highest value first: the ones to offer something new. */
export default function ReadyTab() {
  const ready = useReadyForOffer();
  const staff = useStaffUsers();
  if (!ready.data) return <Text c="dimmed">{ready.error?.message ?? "Loading…"}</Text>;
  return (
    <div data-testid="ready-tab">
      <Text size="sm" c="dimmed" mb="sm">
        Healthy (score 70 or more), no open case, no open play, not lost — key accounts first, then by
        revenue.
      </Text>
      {ready.data.items.length === 0 ? (
        <Text c="dimmed">No account is ready for an offer right now.</Text>
      ) : (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Account</Table.Th>
              <Table.Th>Revenue</Table.Th>
              <Table.Th>Health</Table.Th>
              <Table.Th>Owner</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {ready.data.items.map((a) => (
              <Table.Tr key={a.accountId}>
                <Table.Td>
                  <Link to={`/accounts/${a.accountId}?tab=brief`}>{a.name}</Link>{" "}
                  {a.tier === "key" ? <KeyBadge /> : null}
                </Table.Td>
                <Table.Td>{formatMoney(a.annualRevenue)}</Table.Td>
                <Table.Td>
                  <HealthChip health={a.health} />
                </Table.Td>
                <Table.Td>{a.ownerId ? (staff.byId.get(a.ownerId)?.name ?? "…") : "—"}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </div>
  );
}
