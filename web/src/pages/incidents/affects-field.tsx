import { Input, SegmentedControl, Stack, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useId } from "react";
import { normalizeSegment, type Segment, SegmentBuilder } from "../../components/segment-builder";
import { useAudiencePreview } from "./api";
import { plural } from "./incident-format";

/** Who an incident affects: only the accounts of its linked cases (null), or a segment. */
export function AffectsField({
  value,
  onChange,
  error,
}: {
  value: Segment | null;
  onChange: (next: Segment | null) => void;
  error?: string | undefined;
}) {
  const labelId = useId();
  return (
    <Stack gap="xs">
      <Input.Wrapper
        label="Affects"
        labelProps={{ id: labelId }}
        description="Who is told, and whose new cases are suggested for linking"
        error={error}
      >
        <SegmentedControl
          aria-labelledby={labelId}
          value={value === null ? "linked" : "segment"}
          onChange={(mode) => onChange(mode === "linked" ? null : {})}
          data={[
            { value: "linked", label: "Only the accounts of linked cases" },
            { value: "segment", label: "A segment of accounts" },
          ]}
          mt={4}
          data-testid="affects-mode"
        />
      </Input.Wrapper>
      {value !== null ? <SegmentBuilder value={value} onChange={onChange} label="Affected accounts" /> : null}
    </Stack>
  );
}

/**
 * "Will tell 14 contacts at 3 accounts": who a notified update would reach now, asked of the
 * server as the segment changes (debounced). With an incident, its linked cases count too.
 */
export function AudiencePreview({
  affects,
  incidentId,
  notify,
}: {
  affects: Segment | null;
  incidentId?: string;
  notify: boolean;
}) {
  const [debounced] = useDebouncedValue(affects === null ? null : normalizeSegment(affects), 300);
  const preview = useAudiencePreview(debounced, incidentId, notify);
  if (!notify) {
    return (
      <Text size="sm" c="dimmed" data-testid="audience-preview">
        Nobody is told; the update shows on the incident and the status page only.
      </Text>
    );
  }
  if (preview.isError) {
    return (
      <Text size="sm" c="red.8" data-testid="audience-preview">
        Could not count who would be told: {preview.error.message}
      </Text>
    );
  }
  const data = preview.data;
  return (
    <Text size="sm" data-testid="audience-preview" aria-live="polite" aria-busy={preview.isFetching}>
      {data === undefined
        ? "Counting who will be told…"
        : data.contacts > 0
          ? `Will tell ${plural(data.contacts, "contact")} at ${plural(data.accounts, "account")}.`
          : affects === null
            ? "Will tell nobody yet: when you link a case, its customer is told the latest update."
            : `Will tell nobody: ${data.accounts === 0 ? "no account matches" : "no contact at these accounts has an email address"}.`}
    </Text>
  );
}
