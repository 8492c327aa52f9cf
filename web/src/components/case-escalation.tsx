import { Alert, Button, Group, Modal, Stack, Text, Textarea } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, unwrap } from "../api/client";
import { ApiError } from "../api/problem";

const escalationKey = (caseId: string) => ["cases", "escalations", caseId] as const;

/**
 * The case panel's escalation block: an open escalation to a manager (who asked, why, when),
 * and a button to escalate with a reason (the team lead, else the managers, are told).
 */
export function CaseEscalation({ caseId, resolved }: { caseId: string; resolved: boolean }) {
  const qc = useQueryClient();
  const list = useQuery({
    queryKey: escalationKey(caseId),
    queryFn: () => unwrap(api.GET("/api/v1/cases/{id}/escalations", { params: { path: { id: caseId } } })),
  });
  const escalate = useMutation({
    mutationFn: (reason: string) =>
      unwrap(
        api.POST("/api/v1/cases/{id}/escalations", { params: { path: { id: caseId } }, body: { reason } }),
      ),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: escalationKey(caseId) });
      void qc.invalidateQueries({ queryKey: ["cases", "history", caseId] });
    },
  });
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const current = list.data?.items.find((e) => e.open);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!reason.trim()) {
      setError("Say why a manager is needed.");
      return;
    }
    escalate.mutate(reason.trim(), {
      onSuccess: () => {
        setOpen(false);
        setReason("");
        setError(null);
      },
      onError: (e) => setError(e instanceof ApiError ? (e.fieldErrors().reason ?? e.message) : "Not saved."),
    });
  }

  return (
    <div>
      {current ? (
        <Alert
          color="orange"
          variant="light"
          icon={<IconAlertTriangle size={16} aria-hidden />}
          title={current.by === "contact" ? "The customer asked for a manager" : "Escalated to a manager"}
          data-testid="case-escalation"
        >
          <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
            {current.reason}
          </Text>
          <Text size="xs" c="dimmed" mt={4}>
            {new Date(current.createdAt).toLocaleString()} · closes when the case is resolved
          </Text>
        </Alert>
      ) : (
        <Button
          variant="default"
          size="xs"
          onClick={() => setOpen(true)}
          disabled={resolved || list.isPending}
        >
          Escalate to a manager…
        </Button>
      )}
      <Modal opened={open} onClose={() => setOpen(false)} title="Escalate to a manager">
        <form onSubmit={onSubmit} noValidate>
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              The team lead (or the managers) are told in the app and by email.
            </Text>
            <Textarea
              label="Reason"
              autosize
              minRows={3}
              maxLength={2000}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={error}
              data-autofocus
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" loading={escalate.isPending}>
                Escalate
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </div>
  );
}
