import { Alert, Button, Group, Modal, Stack } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { IconAlertCircle } from "@tabler/icons-react";
import { type FormEvent, type ReactNode, useEffect, useRef } from "react";

/**
 * A modal form in the house style: title, fields, a form-level error when the server's answer
 * cannot be pinned on a field, Cancel and the action. Full screen on a phone. After a failed
 * submit the first invalid field gets focus (bump `errorTick` to ask for that).
 */
export function FormModal({
  opened,
  onClose,
  onCancel,
  title,
  submitLabel,
  submitting,
  formError,
  errorTick,
  onSubmit,
  children,
  size = "lg",
}: {
  opened: boolean;
  onClose: () => void;
  onCancel?: () => void;
  title: string;
  submitLabel: string;
  submitting: boolean;
  formError: string | null;
  errorTick: number;
  onSubmit: () => void;
  children: ReactNode;
  size?: string;
}) {
  const phone = useMediaQuery("(max-width: 48em)");
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (errorTick === 0) return;
    const invalid = formRef.current?.querySelector<HTMLElement>("[aria-invalid='true']");
    if (invalid) invalid.focus();
    else formRef.current?.querySelector<HTMLElement>("[role='alert']")?.focus();
  }, [errorTick]);

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (!submitting) onSubmit();
  }

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={title}
      size={size}
      radius="lg"
      fullScreen={phone}
      centered={!phone}
      styles={{ title: { fontWeight: 650, fontSize: "var(--mantine-font-size-lg)" } }}
    >
      <form ref={formRef} onSubmit={handleSubmit} noValidate>
        <Stack gap="md">
          {formError ? (
            <Alert
              role="alert"
              color="red"
              variant="light"
              tabIndex={-1}
              icon={<IconAlertCircle size={18} aria-hidden />}
            >
              {formError}
            </Alert>
          ) : null}
          {children}
          <Group justify="flex-end" gap="sm" mt="xs">
            <Button variant="default" onClick={onCancel ?? onClose} disabled={submitting}>
              Cancel
            </Button>
            <Button type="submit" loading={submitting}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
