import {
  Alert,
  Button,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconPhone } from "@tabler/icons-react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router-dom";
import { api, unwrap } from "../api/client";
import { ApiError } from "../api/problem";
import type { paths } from "../api/schema";

type Mode = "new" | "existing";
type TLogCall = paths["/api/v1/calls"]["post"]["requestBody"]["content"]["application/json"];

/**
 * "Log a call": a phone case opened for the call, or the call added to an existing case, with
 * the logged call (direction, duration, notes) — one request, one transaction (POST /calls).
 */
export function LogCallDialog({
  opened,
  onClose,
  caseId,
}: {
  opened: boolean;
  onClose: () => void;
  /** Preselects "add to this case" (opened from a case). */
  caseId?: string;
}) {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [mode, setMode] = useState<Mode>(caseId ? "existing" : "new");
  const [direction, setDirection] = useState<"in" | "out">("in");
  const [subject, setSubject] = useState("");
  const [contactId, setContactId] = useState<string | null>(null);
  const [contactSearch, setContactSearch] = useState("");
  const [targetCase, setTargetCase] = useState<string | null>(caseId ?? null);
  const [caseSearch, setCaseSearch] = useState("");
  const [minutes, setMinutes] = useState<number | string>("");
  const [notes, setNotes] = useState("");
  const [outcome, setOutcome] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [contactQ] = useDebouncedValue(contactSearch, 200);
  const [caseQ] = useDebouncedValue(caseSearch, 200);

  const contacts = useQuery({
    queryKey: ["log-call", "contacts", contactQ],
    queryFn: () =>
      unwrap(api.GET("/api/v1/contacts", { params: { query: { q: contactQ || undefined, limit: 20 } } })),
    enabled: opened && mode === "new",
    placeholderData: keepPreviousData,
  });
  const cases = useQuery({
    queryKey: ["log-call", "cases", caseQ],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/cases", {
          params: { query: { q: caseQ || undefined, limit: 20, sort: "-updatedAt" } },
        }),
      ),
    enabled: opened && mode === "existing",
    placeholderData: keepPreviousData,
  });

  const log = useMutation({
    mutationFn: (body: TLogCall) => unwrap(api.POST("/api/v1/calls", { body })),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ["cases"] });
      void qc.invalidateQueries({ queryKey: ["activities"] });
      onClose();
      navigate(`/cases/${String(r.case.id)}`);
    },
    onError: (e) =>
      setErrors(e instanceof ApiError ? { form: e.message, ...e.fieldErrors() } : { form: "Not saved." }),
  });

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const missing: Record<string, string> = {};
    if (mode === "new" && !subject.trim()) missing.subject = "Say what the call was about.";
    if (mode === "existing" && !targetCase) missing.caseId = "Pick the case.";
    setErrors(missing);
    if (Object.keys(missing).length > 0) return;
    log.mutate({
      ...(mode === "new"
        ? { newCase: { subject: subject.trim(), ...(contactId ? { contactId } : {}) } }
        : { caseId: targetCase! }),
      direction,
      ...(typeof minutes === "number" ? { durationMinutes: minutes } : {}),
      ...(notes.trim() ? { notes: notes.trim() } : {}),
      ...(outcome.trim() ? { outcome: outcome.trim() } : {}),
    });
  }

  return (
    <Modal opened={opened} onClose={onClose} title="Log a call" size="lg">
      <form onSubmit={onSubmit} noValidate aria-label="Log a call">
        <Stack gap="sm">
          {errors.form ? (
            <Alert color="red" role="alert">
              {errors.form}
            </Alert>
          ) : null}
          <SegmentedControl
            aria-label="Case"
            value={mode}
            onChange={(v) => setMode(v as Mode)}
            data={[
              { value: "new", label: "New case" },
              { value: "existing", label: "Add to a case" },
            ]}
          />
          <SegmentedControl
            aria-label="Direction"
            value={direction}
            onChange={(v) => setDirection(v as "in" | "out")}
            data={[
              { value: "in", label: "Customer called" },
              { value: "out", label: "We called" },
            ]}
          />
          {mode === "new" ? (
            <>
              <Select
                label="Caller"
                placeholder="Search contacts by name or email"
                searchable
                clearable
                searchValue={contactSearch}
                onSearchChange={setContactSearch}
                value={contactId}
                onChange={setContactId}
                data={(contacts.data?.items ?? []).map((c) => ({
                  value: c.id,
                  label: `${c.name} · ${c.email}`,
                }))}
                nothingFoundMessage={contacts.isFetching ? "Searching…" : "No contact found"}
                filter={({ options }) => options}
                error={errors.contactId}
              />
              <TextInput
                label="Subject"
                value={subject}
                onChange={(e) => setSubject(e.currentTarget.value)}
                error={errors.subject}
                maxLength={500}
                data-autofocus
              />
            </>
          ) : (
            <Select
              label="Case"
              placeholder="Search cases by number, subject or text"
              searchable
              searchValue={caseSearch}
              onSearchChange={setCaseSearch}
              value={targetCase}
              onChange={setTargetCase}
              data={(cases.data?.items ?? []).map((c) => ({
                value: c.id,
                label: `${c.number} · ${c.subject}`,
              }))}
              nothingFoundMessage={cases.isFetching ? "Searching…" : "No case found"}
              filter={({ options }) => options}
              error={errors.caseId}
            />
          )}
          <NumberInput
            label="Duration (minutes)"
            min={0}
            max={1440}
            allowDecimal={false}
            value={minutes}
            onChange={setMinutes}
            error={errors.durationMinutes}
            w={200}
          />
          <Textarea
            label="Notes"
            description={
              mode === "existing"
                ? direction === "in"
                  ? "Added to the thread as the customer's words (reopens a resolved case)."
                  : "Added to the thread as an internal note."
                : "Becomes the case description."
            }
            autosize
            minRows={3}
            value={notes}
            onChange={(e) => setNotes(e.currentTarget.value)}
            error={errors.notes}
          />
          <TextInput
            label="Outcome (optional)"
            value={outcome}
            onChange={(e) => setOutcome(e.currentTarget.value)}
            error={errors.outcome}
          />
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              Logged as a call activity now.
            </Text>
            <Group>
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={log.isPending}>
                Log call
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The "Log a call" button with its dialog (queue header; a case's toolbar with `caseId`). */
export function LogCallButton({ caseId }: { caseId?: string }) {
  const [opened, setOpened] = useState(false);
  return (
    <>
      <Button
        variant="default"
        size="xs"
        leftSection={<IconPhone size={14} aria-hidden />}
        onClick={() => setOpened(true)}
      >
        Log a call
      </Button>
      {opened ? <LogCallDialog opened={opened} onClose={() => setOpened(false)} caseId={caseId} /> : null}
    </>
  );
}
