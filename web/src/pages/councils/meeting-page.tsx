import {
  Anchor,
  Button,
  Checkbox,
  Group,
  Loader,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useEffect, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { useCurrentUser } from "../../auth/session";
import {
  statusLabel,
  type TFeedbackStatus,
  useCouncilMeeting,
  useCouncilMutations,
  useFeedbackBoard,
} from "../../surveys/api";

/** One council meeting: agenda (from feedback), minutes, action items, attendance. */
export function MeetingPage() {
  const { id = "" } = useParams();
  const meeting = useCouncilMeeting(id);
  const feedback = useFeedbackBoard(null, "revenue");
  const m = useCouncilMutations();
  const user = useCurrentUser();
  const mayManage = user.role !== "agent";
  const [minutes, setMinutes] = useState<string | null>(null);
  const [agendaFrom, setAgendaFrom] = useState<string | null>(null);
  const [agendaTitle, setAgendaTitle] = useState("");
  const [actionTitle, setActionTitle] = useState("");
  const [actionKind, setActionKind] = useState<"task" | "feedback">("task");

  useEffect(() => {
    if (meeting.data && minutes === null) setMinutes(meeting.data.minutes ?? "");
  }, [meeting.data, minutes]);

  if (meeting.isPending) return <Loader size="sm" aria-label="Loading the meeting" />;
  if (meeting.isError)
    return <Text role="alert">The meeting could not be loaded: {meeting.error.message}</Text>;
  const d = meeting.data;
  const fail = (e: Error) => notifications.show({ color: "red", message: e.message });
  const refetch = () => void meeting.refetch();
  const when = new Intl.DateTimeFormat(undefined, {
    dateStyle: "full",
    timeStyle: "short",
    timeZone: d.council.timeZone,
  }).format(new Date(d.startsAt));

  return (
    <Stack gap="lg" maw={960}>
      <div>
        <Anchor component={Link} to={`/feedback/councils/${d.council.id}`} size="sm">
          ← {d.council.name}
        </Anchor>
        <Title order={2} fz="lg" mt={4}>
          {when}
        </Title>
        <Text size="sm" c="dimmed">
          {d.council.timeZone} · {d.status}
        </Text>
      </div>

      <section aria-labelledby="agenda-title">
        <Title order={3} fz="md" id="agenda-title" mb="xs">
          Agenda
        </Title>
        <ol>
          {d.agenda.map((g) => (
            <li key={g.id}>
              {g.title}
              {g.feedbackStatus ? (
                <Text span size="xs" c="dimmed">
                  {" "}
                  (feedback,{" "}
                  {statusLabel[g.feedbackStatus as TFeedbackStatus]?.toLowerCase() ?? g.feedbackStatus})
                </Text>
              ) : null}
            </li>
          ))}
        </ol>
        {mayManage ? (
          <Group align="flex-end">
            <Select
              label="From feedback"
              placeholder="Pick an item"
              searchable
              clearable
              w={320}
              value={agendaFrom}
              onChange={setAgendaFrom}
              data={(feedback.data?.items ?? []).map((f) => ({ value: f.id, label: f.title }))}
            />
            <TextInput
              label="Or a topic"
              value={agendaTitle}
              onChange={(e) => setAgendaTitle(e.currentTarget.value)}
            />
            <Button
              variant="light"
              onClick={() =>
                m.addAgenda.mutate(
                  {
                    id,
                    ...(agendaFrom ? { feedbackItemId: agendaFrom } : {}),
                    ...(agendaTitle ? { title: agendaTitle } : {}),
                  },
                  {
                    onSuccess: () => {
                      setAgendaFrom(null);
                      setAgendaTitle("");
                      refetch();
                    },
                    onError: fail,
                  },
                )
              }
            >
              Add to agenda
            </Button>
          </Group>
        ) : null}
      </section>

      <section aria-labelledby="attendance-title">
        <Title order={3} fz="md" id="attendance-title" mb="xs">
          Attendance
        </Title>
        <Table aria-label="Attendance">
          <Table.Tbody>
            {d.attendance.map((a) => (
              <Table.Tr key={a.contactId}>
                <Table.Td>
                  <Checkbox
                    label={`${a.contactName} (${a.accountName})`}
                    checked={a.attended === true}
                    disabled={!mayManage}
                    onChange={(e) =>
                      m.attendance.mutate(
                        { id, contactId: a.contactId, attended: e.currentTarget.checked },
                        { onSuccess: refetch, onError: fail },
                      )
                    }
                  />
                </Table.Td>
                <Table.Td>
                  <Text size="xs" c="dimmed">
                    {a.attended === null ? "not recorded" : a.attended ? "attended" : "absent"}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </section>

      <section aria-labelledby="minutes-title">
        <Title order={3} fz="md" id="minutes-title" mb="xs">
          Minutes
        </Title>
        <Textarea
          aria-labelledby="minutes-title"
          autosize
          minRows={4}
          value={minutes ?? ""}
          onChange={(e) => setMinutes(e.currentTarget.value)}
          readOnly={!mayManage}
        />
        {mayManage ? (
          <Group mt="xs">
            <Button
              size="xs"
              onClick={() => m.updateMeeting.mutate({ id, minutes }, { onSuccess: refetch, onError: fail })}
            >
              Save minutes
            </Button>
            {d.status === "scheduled" ? (
              <Button
                size="xs"
                variant="light"
                onClick={() =>
                  m.updateMeeting.mutate({ id, status: "held" }, { onSuccess: refetch, onError: fail })
                }
              >
                Mark as held
              </Button>
            ) : null}
          </Group>
        ) : null}
      </section>

      <section aria-labelledby="actions-title">
        <Title order={3} fz="md" id="actions-title" mb="xs">
          Action items
        </Title>
        <ul>
          {d.actions.map((a) => (
            <li key={a.id}>
              {a.title}{" "}
              <Text span size="xs" c="dimmed">
                ({a.kind === "task" ? "task" : "feedback item"})
              </Text>
            </li>
          ))}
        </ul>
        {mayManage ? (
          <Group align="flex-end">
            <TextInput
              label="Action"
              value={actionTitle}
              onChange={(e) => setActionTitle(e.currentTarget.value)}
              w={360}
            />
            <Select
              label="Becomes"
              w={160}
              value={actionKind}
              onChange={(v) => v && setActionKind(v as "task" | "feedback")}
              data={[
                { value: "task", label: "A task" },
                { value: "feedback", label: "A feedback item" },
              ]}
              allowDeselect={false}
            />
            <Button
              variant="light"
              onClick={() =>
                m.addAction.mutate(
                  { id, kind: actionKind, title: actionTitle },
                  {
                    onSuccess: () => {
                      setActionTitle("");
                      refetch();
                    },
                    onError: fail,
                  },
                )
              }
            >
              Add action
            </Button>
          </Group>
        ) : null}
      </section>
    </Stack>
  );
}
