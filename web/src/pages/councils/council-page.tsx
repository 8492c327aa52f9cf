import { Anchor, Badge, Button, Group, Loader, Stack, Table, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { Link, useParams } from "react-router-dom";
import { useCurrentUser } from "../../auth/session";
import { formatRevenue } from "../../customers/format";
import { useCouncil, useCouncilMutations, useCouncilSuggestions } from "../../surveys/api";

function when(iso: string, timeZone: string) {
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short", timeZone }).format(
    new Date(iso),
  );
}

/** One council: members and suggestions, the schedule's next dates, meetings. */
export function CouncilPage() {
  const { id = "" } = useParams();
  const council = useCouncil(id);
  const suggestions = useCouncilSuggestions(id);
  const { addMember, schedule } = useCouncilMutations();
  const user = useCurrentUser();
  const mayManage = user.role !== "agent";
  if (council.isPending) return <Loader size="sm" aria-label="Loading the council" />;
  if (council.isError)
    return <Text role="alert">The council could not be loaded: {council.error.message}</Text>;
  const c = council.data;
  const scheduled = new Set(c.meetings.map((m) => m.startsAt));
  return (
    <Stack gap="lg" maw={1100}>
      <div>
        <Anchor component={Link} to="/feedback/councils" size="sm">
          ← Councils
        </Anchor>
        <Title order={2} fz="lg" mt={4}>
          {c.name}
        </Title>
        <Text size="sm" c="dimmed">
          <code>{c.rrule}</code> from {c.start.replace("T", " ")} ({c.timeZone}), {c.durationMinutes} minutes
          {c.location ? ` · ${c.location}` : ""}
        </Text>
      </div>

      <section aria-labelledby="members-title">
        <Title order={3} fz="md" id="members-title" mb="xs">
          Members ({c.members.length})
        </Title>
        {c.members.length === 0 ? (
          <Text size="sm" c="dimmed">
            No members yet: add some of the suggested key accounts' contacts below.
          </Text>
        ) : (
          <Table aria-label="Members">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Contact</Table.Th>
                <Table.Th>Account</Table.Th>
                <Table.Th>Tier</Table.Th>
                <Table.Th style={{ textAlign: "right" }}>Annual revenue</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {c.members.map((m) => (
                <Table.Tr key={m.contactId}>
                  <Table.Td>{m.contactName}</Table.Td>
                  <Table.Td>{m.accountName}</Table.Td>
                  <Table.Td>
                    <Badge size="xs" variant="light" color={m.tier === "key" ? "violet" : "gray"}>
                      {m.tier}
                    </Badge>
                  </Table.Td>
                  <Table.Td style={{ textAlign: "right" }}>{formatRevenue(m.annualRevenue)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {mayManage && suggestions.data && suggestions.data.items.length > 0 ? (
          <>
            <Text fw={600} size="sm" mt="md" mb={4}>
              Suggested (key accounts first, by revenue)
            </Text>
            <Table aria-label="Suggested members">
              <Table.Tbody>
                {suggestions.data.items.slice(0, 8).map((m) => (
                  <Table.Tr key={m.contactId}>
                    <Table.Td>{m.contactName}</Table.Td>
                    <Table.Td>{m.accountName}</Table.Td>
                    <Table.Td style={{ textAlign: "right" }}>{formatRevenue(m.annualRevenue)}</Table.Td>
                    <Table.Td style={{ textAlign: "right" }}>
                      <Button
                        size="compact-xs"
                        variant="light"
                        aria-label={`Add ${m.contactName}`}
                        onClick={() =>
                          addMember.mutate(
                            { id, contactId: m.contactId },
                            {
                              onSuccess: () => void suggestions.refetch(),
                              onError: (e) => notifications.show({ color: "red", message: e.message }),
                            },
                          )
                        }
                      >
                        Add
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        ) : null}
      </section>

      <section aria-labelledby="meetings-title">
        <Group justify="space-between" mb="xs">
          <Title order={3} fz="md" id="meetings-title">
            Meetings
          </Title>
          {mayManage ? (
            <Button
              size="xs"
              loading={schedule.isPending}
              onClick={() =>
                schedule.mutate(
                  { id },
                  {
                    onSuccess: () =>
                      notifications.show({ color: "teal", message: "Scheduled; members invited" }),
                    onError: (e) => notifications.show({ color: "red", message: e.message }),
                  },
                )
              }
            >
              Schedule the next meeting and invite
            </Button>
          ) : null}
        </Group>
        {c.meetings.length === 0 ? (
          <Text size="sm" c="dimmed">
            No meeting scheduled yet.
          </Text>
        ) : (
          <ul aria-label="Meetings">
            {c.meetings.map((m) => (
              <li key={m.id}>
                <Anchor component={Link} to={`/feedback/meetings/${m.id}`}>
                  {when(m.startsAt, c.timeZone)}
                </Anchor>{" "}
                <Badge
                  size="xs"
                  variant="light"
                  color={m.status === "cancelled" ? "red" : m.status === "held" ? "teal" : "blue"}
                >
                  {m.status}
                </Badge>
              </li>
            ))}
          </ul>
        )}
        <Text fw={600} size="sm" mt="md" mb={4}>
          Next dates of the schedule
        </Text>
        <ul aria-label="Next dates">
          {c.upcoming.map((o) => (
            <li key={o.startsAt}>
              <Text size="sm" span>
                {when(o.startsAt, c.timeZone)} ({c.timeZone})
              </Text>
              {scheduled.has(o.startsAt) ? (
                <Text span size="xs" c="dimmed">
                  {" "}
                  · scheduled
                </Text>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </Stack>
  );
}
