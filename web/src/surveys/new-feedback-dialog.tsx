import { Button, Group, Modal, Select, Stack, Textarea, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { ApiError } from "../api/problem";
import { FEEDBACK_KINDS, kindLabel, type TFeedbackKind, useFeedbackMutations } from "./api";

/**
 * Records a feedback item: from scratch, from a survey comment (`surveyId`: its contact, account
 * and case come along) or from a case (`caseId`: its contact and account come along).
 */
export function NewFeedbackDialog({
  from,
  onClose,
}: {
  from: { surveyId?: string; caseId?: string; title?: string; body?: string };
  onClose: () => void;
}) {
  const { create } = useFeedbackMutations();
  const [kind, setKind] = useState<TFeedbackKind>(from.surveyId ? "complaint" : "idea");
  const [title, setTitle] = useState(from.title ?? "");
  const [body, setBody] = useState(from.body ?? "");
  const [errors, setErrors] = useState<Record<string, string>>({});
  return (
    <Modal
      opened
      onClose={onClose}
      title={
        from.surveyId
          ? "Feedback from a survey comment"
          : from.caseId
            ? "Feedback from this case"
            : "New feedback"
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setErrors({});
          create.mutate(
            {
              kind,
              title,
              body: body || null,
              ...(from.surveyId ? { surveyId: from.surveyId } : {}),
              ...(from.caseId ? { caseId: from.caseId } : {}),
            },
            {
              onSuccess: () => {
                notifications.show({ color: "teal", message: "Feedback recorded" });
                onClose();
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
          <Select
            label="Kind"
            value={kind}
            onChange={(v) => v && setKind(v as TFeedbackKind)}
            data={FEEDBACK_KINDS.map((k) => ({ value: k, label: kindLabel[k] }))}
            allowDeselect={false}
            error={errors["/kind"]}
          />
          <TextInput
            label="Title"
            required
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            maxLength={300}
            error={errors["/title"]}
            data-autofocus
          />
          <Textarea
            label="Details"
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            autosize
            minRows={3}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
