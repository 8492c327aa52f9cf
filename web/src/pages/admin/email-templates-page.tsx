import {
  Alert,
  Button,
  Code,
  Group,
  Loader,
  Stack,
  Switch,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Tooltip,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertCircle, IconEye, IconRestore } from "@tabler/icons-react";
import { useState } from "react";
import { canAdminister, useCurrentUser } from "../../auth/session";
import classes from "./admin.module.css";
import { AdminFrame } from "./admin-page";
import {
  errorText,
  type TMoment,
  type TTemplate,
  type TTemplatePreview,
  useEmailTemplates,
  usePreviewTemplate,
  useResetTemplate,
  useSaveTemplate,
} from "./email-api";

/**
 * The customer notification templates (admins edit; managers read and preview): one per
 * moment, each with a switch, placeholders, and a preview as the customer would see it.
 */
export function EmailTemplatesPage() {
  const user = useCurrentUser();
  const templates = useEmailTemplates();
  const [moment, setMoment] = useState<TMoment>("received");
  const mayEdit = user.role === "admin";
  const current = templates.data?.items.find((t) => t.moment === moment);

  return (
    <AdminFrame title="Email templates">
      <p className={classes.lead}>
        Customers are told by email at the moments that matter. Each template is plain text with placeholders
        such as <Code>{"{{case.number}}"}</Code>; a part between <Code>{"{{#sla.firstResponseDue}}"}</Code>{" "}
        and <Code>{"{{/sla.firstResponseDue}}"}</Code> shows only when that value exists. Automatic mail never
        goes to automatic senders, mailing lists or our own addresses, and at most 10 go to one address in 3
        hours.
      </p>
      {templates.isPending ? (
        <Loader size="sm" aria-label="Loading templates" />
      ) : templates.isError ? (
        <Text role="alert">The templates could not be loaded: {templates.error.message}</Text>
      ) : (
        <Tabs value={moment} onChange={(v) => v && setMoment(v as TMoment)} keepMounted={false}>
          <Tabs.List mb="md">
            {templates.data.items.map((t) => (
              <Tabs.Tab key={t.moment} value={t.moment} c={t.enabled ? undefined : "dimmed"}>
                {t.label}
                {t.enabled ? "" : " (off)"}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {current ? (
            <TemplateEditor
              key={`${current.moment}:${current.updatedAt ?? "default"}`}
              template={current}
              placeholders={templates.data.placeholders}
              mayEdit={mayEdit}
              mayPreview={canAdminister(user.role)}
            />
          ) : null}
        </Tabs>
      )}
    </AdminFrame>
  );
}

function TemplateEditor({
  template,
  placeholders,
  mayEdit,
  mayPreview,
}: {
  template: TTemplate;
  placeholders: { key: string; description: string }[];
  mayEdit: boolean;
  mayPreview: boolean;
}) {
  const [subject, setSubject] = useState(template.subject);
  const [body, setBody] = useState(template.body);
  const [enabled, setEnabled] = useState(template.enabled);
  const save = useSaveTemplate();
  const reset = useResetTemplate();
  const preview = usePreviewTemplate();
  const [shown, setShown] = useState<TTemplatePreview | null>(null);
  const dirty = subject !== template.subject || body !== template.body || enabled !== template.enabled;

  function onSave() {
    save.mutate(
      { moment: template.moment, body: { subject, body, enabled } },
      { onSuccess: () => notifications.show({ message: "Template saved", color: "green" }) },
    );
  }

  return (
    <div className={classes.form}>
      <Stack gap="md">
        <Switch
          checked={enabled}
          onChange={(e) => setEnabled(e.currentTarget.checked)}
          disabled={!mayEdit}
          label={enabled ? "Sent at this moment" : "Switched off: nothing is sent at this moment"}
        />
        <TextInput
          label="Subject"
          description="The case number is added as [CS-000123] when the subject does not contain it."
          value={subject}
          onChange={(e) => setSubject(e.currentTarget.value)}
          readOnly={!mayEdit}
          maxLength={300}
        />
        <Textarea
          label="Text"
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          readOnly={!mayEdit}
          autosize
          minRows={8}
          maxRows={24}
          styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)", fontSize: 13 } }}
        />
        {save.isError ? (
          <Alert role="alert" color="red" variant="light" icon={<IconAlertCircle size={18} aria-hidden />}>
            {errorText(save.error)}
          </Alert>
        ) : null}
        <Group gap="xs">
          {mayEdit ? (
            <Button size="xs" onClick={onSave} disabled={!dirty} loading={save.isPending}>
              Save
            </Button>
          ) : null}
          {mayPreview ? (
            <Button
              size="xs"
              variant="default"
              leftSection={<IconEye size={14} aria-hidden />}
              loading={preview.isPending}
              onClick={() =>
                preview.mutate({ moment: template.moment, subject, body }, { onSuccess: (p) => setShown(p) })
              }
            >
              Preview
            </Button>
          ) : null}
          {mayEdit && !template.isDefault ? (
            <Tooltip label="Back to the text Keepdesk ships with">
              <Button
                size="xs"
                variant="subtle"
                leftSection={<IconRestore size={14} aria-hidden />}
                loading={reset.isPending}
                onClick={() => reset.mutate(template.moment)}
              >
                Reset to default
              </Button>
            </Tooltip>
          ) : null}
        </Group>
        {preview.isError ? (
          <Alert role="alert" color="red" variant="light">
            {errorText(preview.error)}
          </Alert>
        ) : null}
        {shown ? (
          <section className={classes.card} aria-label="Preview">
            <h3 className={classes.cardTitle}>{shown.subject}</h3>
            <Text size="xs" c="dimmed" mb="sm">
              With sample values, as the customer receives it.
            </Text>
            <pre
              style={{
                whiteSpace: "pre-wrap",
                margin: 0,
                fontFamily: "inherit",
                fontSize: "var(--mantine-font-size-sm)",
              }}
            >
              {shown.text}
            </pre>
          </section>
        ) : null}
        <section aria-label="Placeholders">
          <Text size="sm" fw={600} mb={4}>
            Placeholders
          </Text>
          <table className={classes.table}>
            <tbody>
              {placeholders.map((p) => (
                <tr key={p.key}>
                  <td style={{ width: 240 }}>
                    <Code>{`{{${p.key}}}`}</Code>
                  </td>
                  <td className={classes.muted}>{p.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </Stack>
    </div>
  );
}
