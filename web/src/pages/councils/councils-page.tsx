import {
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { ApiError } from "../../api/problem";
import { useCurrentUser } from "../../auth/session";
import { useCouncilMutations, useCouncils } from "../../surveys/api";

const PRESETS = [
  { value: "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", label: "Monthly, second Tuesday" },
  { value: "FREQ=MONTHLY;INTERVAL=3;BYDAY=TH;BYSETPOS=1", label: "Quarterly, first Thursday" },
  { value: "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", label: "Every other Wednesday" },
  { value: "FREQ=WEEKLY;BYDAY=TU", label: "Weekly, Tuesday" },
];

/** The councils list (Feedback & surveys → Customer Council). */
export function CouncilsPage() {
  const councils = useCouncils();
  const user = useCurrentUser();
  const [creating, setCreating] = useState(false);
  const mayManage = user.role !== "agent";
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Text c="dimmed" size="sm" maw={720}>
          A council of selected, usually key, customers who meet on a schedule: invitations go out as calendar
          files, the agenda is drawn from feedback, and action items become tasks or feedback.
        </Text>
        {mayManage ? (
          <Button size="xs" onClick={() => setCreating(true)}>
            New council
          </Button>
        ) : null}
      </Group>
      {councils.isPending ? (
        <Loader size="sm" aria-label="Loading councils" />
      ) : councils.isError ? (
        <Text role="alert">The councils could not be loaded: {councils.error.message}</Text>
      ) : councils.data.items.length === 0 ? (
        <Text c="dimmed">No council yet.</Text>
      ) : (
        <Table aria-label="Councils" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Council</Table.Th>
              <Table.Th>Schedule</Table.Th>
              <Table.Th>Time zone</Table.Th>
              <Table.Th style={{ textAlign: "right" }}>Members</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {councils.data.items.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/feedback/councils/${c.id}`}>
                    {c.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <code>{c.rrule}</code>
                </Table.Td>
                <Table.Td>{c.timeZone}</Table.Td>
                <Table.Td style={{ textAlign: "right" }}>
                  <Badge variant="light">{c.memberCount}</Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {creating ? <NewCouncilDialog onClose={() => setCreating(false)} /> : null}
    </Stack>
  );
}

function NewCouncilDialog({ onClose }: { onClose: () => void }) {
  const { create } = useCouncilMutations();
  const navigate = useNavigate();
  const [name, setName] = useState("Customer Council");
  const [rrule, setRrule] = useState(PRESETS[0]!.value);
  const [start, setStart] = useState("");
  const [timeZone, setTimeZone] = useState(Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [duration, setDuration] = useState<number>(60);
  const [location, setLocation] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  return (
    <Modal opened onClose={onClose} title="New council">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setErrors({});
          create.mutate(
            { name, rrule, start, timeZone, durationMinutes: duration, location: location || null },
            {
              onSuccess: (c) => {
                onClose();
                navigate(`/feedback/councils/${c.id}`);
              },
              onError: (err) => {
                if (err instanceof ApiError)
                  setErrors(Object.fromEntries((err.problem?.errors ?? []).map((x) => [x.path, x.message])));
                notifications.show({ color: "red", message: err.message });
              },
            },
          );
        }}
      >
        <Stack gap="sm">
          <TextInput
            label="Name"
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors["/name"]}
          />
          <Select
            label="Repeats"
            data={PRESETS}
            value={rrule}
            onChange={(v) => v && setRrule(v)}
            allowDeselect={false}
            error={errors["/rrule"]}
          />
          <TextInput
            label="First meeting (local date and time)"
            type="datetime-local"
            required
            value={start}
            onChange={(e) => setStart(e.currentTarget.value.slice(0, 16))}
            error={errors["/start"]}
          />
          <TextInput
            label="Time zone"
            description="The meetings keep this wall time, summer and winter"
            value={timeZone}
            onChange={(e) => setTimeZone(e.currentTarget.value)}
            error={errors["/timeZone"]}
          />
          <NumberInput
            label="Length (minutes)"
            min={5}
            max={1440}
            value={duration}
            onChange={(v) => setDuration(Number(v) || 60)}
          />
          <TextInput label="Where" value={location} onChange={(e) => setLocation(e.currentTarget.value)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
