import { Divider, Group, Kbd, Modal, Stack, Switch, Table, Text } from "@mantine/core";
import { Fragment } from "react";
import { useSingleKeyShortcutsSetting } from "./keyboard-shortcuts";

type TRow = { keys: readonly string[]; sequence?: boolean; alternatives?: boolean; label: string };

// Only shortcuts that work today are listed; each later screen adds its own here.
const groups: readonly { title: string; rows: readonly TRow[] }[] = [
  {
    title: "Go to",
    rows: [
      { keys: ["g", "i"], sequence: true, label: "Inbox" },
      { keys: ["g", "d"], sequence: true, label: "My day" },
      { keys: ["g", "n"], sequence: true, label: "Incidents" },
    ],
  },
  {
    title: "Lists",
    rows: [
      { keys: ["j"], label: "Next row" },
      { keys: ["k"], label: "Previous row" },
      { keys: ["Enter", "o"], alternatives: true, label: "Open the selected row" },
      { keys: ["x"], label: "Select the row for a bulk change (cases)" },
    ],
  },
  {
    title: "Case",
    rows: [
      { keys: ["r"], label: "Reply" },
      { keys: ["n"], label: "Internal note" },
      { keys: ["Ctrl/⌘", "Enter"], label: "Send" },
      { keys: ["e"], label: "Resolve" },
      { keys: ["⇧", "E"], label: "Resolve and open the next case" },
      { keys: ["a"], label: "Assign (owner)" },
      { keys: ["s"], label: "Status" },
      { keys: ["p"], label: "Priority" },
      { keys: ["l"], label: "Tags" },
      { keys: ["Esc"], label: "Back to the list" },
    ],
  },
  {
    title: "Anywhere",
    rows: [
      { keys: ["/"], label: "Search" },
      { keys: ["?"], label: "Show keyboard shortcuts" },
      { keys: ["Esc"], label: "Close a dialog or leave the search box" },
    ],
  },
];

export function KeySequence({
  keys,
  sequence,
  alternatives,
}: {
  keys: readonly string[];
  sequence?: boolean;
  alternatives?: boolean;
}) {
  return (
    <Group gap={4} wrap="nowrap" component="span">
      {keys.map((key, index) => (
        <Fragment key={key}>
          {index > 0 && (sequence || alternatives) ? (
            <Text component="span" size="xs" c="dimmed">
              {sequence ? "then" : "or"}
            </Text>
          ) : null}
          <Kbd>{key}</Kbd>
        </Fragment>
      ))}
    </Group>
  );
}

export function ShortcutSheet({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [singleKeys, setSingleKeys] = useSingleKeyShortcutsSetting();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title="Keyboard shortcuts"
      size="md"
      radius="lg"
      centered
      styles={{ title: { fontWeight: 650, fontSize: "var(--mantine-font-size-lg)" } }}
    >
      <Stack gap="lg">
        {groups.map((group) => (
          <section key={group.title} aria-label={group.title}>
            <Text size="xs" fw={600} tt="uppercase" c="dimmed" lts={0.4} mb={6}>
              {group.title}
            </Text>
            <Table verticalSpacing={6} horizontalSpacing={0} withRowBorders={false}>
              <Table.Tbody>
                {group.rows.map((row) => (
                  <Table.Tr key={row.label}>
                    <Table.Td>
                      <Text size="md">{row.label}</Text>
                    </Table.Td>
                    <Table.Td ta="right" w={140}>
                      <Group justify="flex-end">
                        <KeySequence
                          keys={row.keys}
                          sequence={row.sequence}
                          alternatives={row.alternatives}
                        />
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </section>
        ))}
        <Divider color="gray.2" />
        <Switch
          checked={singleKeys}
          onChange={(event) => setSingleKeys(event.currentTarget.checked)}
          label="Single-key shortcuts"
          description="Turn these off if you use speech input or press keys by accident. Everything stays reachable with the mouse and Tab."
        />
      </Stack>
    </Modal>
  );
}
