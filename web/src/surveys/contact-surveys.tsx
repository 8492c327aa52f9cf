import { Loader, Table, Text } from "@mantine/core";
import { TYPE_LABEL, useSurveys } from "./api";

/**
 * A contact's (or account's, or case's) surveys: for the contact page ("profile, cases,
 * promises, surveys") and the account page. `<SurveyHistory contactId={id} />`.
 */
export function SurveyHistory(props: { contactId?: string; accountId?: string; caseId?: string }) {
  const surveys = useSurveys(props);
  if (surveys.isPending) return <Loader size="xs" aria-label="Loading surveys" />;
  if (surveys.isError)
    return <Text role="alert">The surveys could not be loaded: {surveys.error.message}</Text>;
  if (surveys.data.items.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No surveys yet.
      </Text>
    );
  return (
    <Table aria-label="Surveys">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Survey</Table.Th>
          <Table.Th>Sent</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th style={{ textAlign: "right" }}>Score</Table.Th>
          <Table.Th>Comment</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {surveys.data.items.map((s) => (
          <Table.Tr key={s.id}>
            <Table.Td>
              {TYPE_LABEL[s.type]}
              {s.case ? ` · ${s.case.number}` : ""}
            </Table.Td>
            <Table.Td>{new Date(s.sentAt ?? s.createdAt).toLocaleDateString()}</Table.Td>
            <Table.Td>{s.status === "held_back" ? `held back (${s.heldBackRule})` : s.status}</Table.Td>
            <Table.Td style={{ textAlign: "right" }}>{s.score ?? "—"}</Table.Td>
            <Table.Td>{s.comment ?? ""}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
