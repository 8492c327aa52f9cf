import {
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useState } from "react";
import { formErrorsFrom } from "../api/form-errors";
import { useCurrentUser } from "../auth/session";
import { ownerOptions, useStaffUsers } from "../customers/api";
import { FormModal } from "../customers/form-modal";
import { formatWhen, isoToLocalInput, localInputToIso } from "./activity-format";
import { type TActivityInput, useCreateActivity } from "./api";

type TField = "subject" | "dueAt" | "durationMinutes" | "outcome" | "notes" | "ownerId" | "direction";
const FIELDS: readonly TField[] = [
  "subject",
  "dueAt",
  "durationMinutes",
  "outcome",
  "notes",
  "ownerId",
  "direction",
];

/** A modal to make a promise, log a call or add a task, on a case or on its own. */
export function ActivityDialog({
  kind,
  caseId,
  who = "the customer",
  onClose,
  onSaved,
}: {
  kind: "promise" | "call" | "task";
  caseId?: string;
  who?: string;
  onClose: () => void;
  onSaved: (message: string) => void;
}) {
  const me = useCurrentUser();
  const staff = useStaffUsers();
  const create = useCreateActivity();
  const firstName = who.split(/\s+/)[0] ?? who;
  const inAnHour = isoToLocalInput(
    new Date(Math.ceil((Date.now() + 3_600_000) / 300_000) * 300_000).toISOString(),
  );
  const [subject, setSubject] = useState(
    kind === "promise" ? `Get back to ${firstName}` : kind === "call" ? `Call with ${who}` : "",
  );
  const [dueAt, setDueAt] = useState(kind === "promise" ? inAnHour : "");
  const [direction, setDirection] = useState<"out" | "in">("out");
  const [minutes, setMinutes] = useState<number | string>("");
  const [outcome, setOutcome] = useState("");
  const [notes, setNotes] = useState("");
  const [ownerId, setOwnerId] = useState<string>(me.id);
  const [errors, setErrors] = useState<Partial<Record<TField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [errorTick, setErrorTick] = useState(0);

  const title = kind === "promise" ? "Make a promise" : kind === "call" ? "Log a call" : "Add a task";

  function submit() {
    const due = localInputToIso(dueAt);
    const local: Partial<Record<TField, string>> = {};
    if (!subject.trim()) local.subject = "Say what it is about.";
    if (kind === "promise" && !due) local.dueAt = "Pick when you will get back to them.";
    if (Object.keys(local).length > 0) {
      setErrors(local);
      setErrorTick((tick) => tick + 1);
      return;
    }
    const body: TActivityInput = {
      type: kind,
      subject: subject.trim(),
      ...(caseId ? { caseId } : {}),
      ...(notes.trim() ? { notes: notes.trim() } : {}),
      ...(kind !== "call" ? { ownerId } : {}),
      ...(due && kind !== "call" ? { dueAt: due } : {}),
      ...(kind === "call"
        ? {
            direction,
            ...(minutes !== "" ? { durationMinutes: Number(minutes) } : {}),
            ...(outcome.trim() ? { outcome: outcome.trim() } : {}),
          }
        : {}),
    };
    create.mutate(body, {
      onSuccess: (saved) => {
        const message =
          kind === "promise"
            ? `Promise made: ${saved.subject} by ${formatWhen(saved.dueAt ?? "")}`
            : kind === "call"
              ? "Call logged"
              : "Task added";
        onSaved(message);
      },
      onError: (error) => {
        const { fields, form } = formErrorsFrom(error, FIELDS);
        setErrors(fields);
        setFormError(form);
        setErrorTick((tick) => tick + 1);
      },
    });
  }

  return (
    <FormModal
      opened
      onClose={onClose}
      title={title}
      submitLabel={kind === "call" ? "Log call" : kind === "promise" ? "Make promise" : "Add task"}
      submitting={create.isPending}
      formError={formError}
      errorTick={errorTick}
      onSubmit={submit}
      size="md"
    >
      <TextInput
        label="Subject"
        required
        data-autofocus
        value={subject}
        onChange={(event) => setSubject(event.currentTarget.value)}
        error={errors.subject}
        maxLength={500}
      />
      {kind === "call" ? (
        <Stack gap="sm">
          <div>
            <Text size="sm" fw={500} mb={4} id="call-direction">
              Direction
            </Text>
            <SegmentedControl
              aria-labelledby="call-direction"
              value={direction}
              onChange={(value) => setDirection(value as "out" | "in")}
              data={[
                { value: "out", label: `We called ${firstName}` },
                { value: "in", label: `${firstName} called us` },
              ]}
            />
          </div>
          <Group grow align="flex-start">
            <NumberInput
              label="Duration (minutes)"
              min={0}
              max={1440}
              allowNegative={false}
              value={minutes}
              onChange={setMinutes}
              error={errors.durationMinutes}
            />
            <TextInput
              label="Outcome"
              placeholder="Solved, left a voicemail…"
              value={outcome}
              onChange={(event) => setOutcome(event.currentTarget.value)}
              error={errors.outcome}
              maxLength={1000}
            />
          </Group>
          <Text size="xs" c="dimmed">
            A call with the customer keeps the open promises made to them.
          </Text>
        </Stack>
      ) : (
        <Group grow align="flex-start">
          <TextInput
            type="datetime-local"
            label={kind === "promise" ? "Due (your time)" : "Due (optional, your time)"}
            required={kind === "promise"}
            value={dueAt}
            onChange={(event) => setDueAt(event.currentTarget.value)}
            error={errors.dueAt}
          />
          <Select
            label="Owner"
            data={ownerOptions(staff.users)}
            value={ownerId}
            onChange={(value) => setOwnerId(value ?? me.id)}
            searchable
            allowDeselect={false}
            error={errors.ownerId}
          />
        </Group>
      )}
      <Textarea
        label="Notes"
        autosize
        minRows={2}
        maxRows={8}
        value={notes}
        onChange={(event) => setNotes(event.currentTarget.value)}
        error={errors.notes}
      />
    </FormModal>
  );
}
