import { Button, Group, Loader, NumberInput, Stack, Switch, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useEffect, useState } from "react";
import { ApiError } from "../../api/problem";
import { type TSurveySettings, useSurveySettings, useUpdateSurveySettings } from "../../surveys/api";
import classes from "../admin/admin.module.css";
import { AdminFrame } from "../admin/admin-page";

type TForm = Omit<TSurveySettings, "updatedAt">;

/** Admin → Surveys: when CSAT, CES and NPS go out, how long links work, and the fatigue rules. */
export function SurveySettingsPage() {
  const settings = useSurveySettings();
  const update = useUpdateSurveySettings();
  const [form, setForm] = useState<TForm | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});

  useEffect(() => {
    if (settings.data && !form) {
      const { updatedAt: _ignored, ...rest } = settings.data;
      setForm(rest);
    }
  }, [settings.data, form]);

  const set = <K extends keyof TForm>(key: K, value: TForm[K]) =>
    setForm((f) => (f ? { ...f, [key]: value } : f));
  const num = (key: keyof TForm, label: string, description: string, min: number, max: number) => (
    <NumberInput
      label={label}
      description={description}
      min={min}
      max={max}
      value={form ? (form[key] as number) : 0}
      onChange={(v) => set(key, (typeof v === "number" ? v : Number(v) || 0) as never)}
      error={errors[`/${key}`]}
      w={320}
      allowDecimal={false}
    />
  );

  async function save() {
    if (!form) return;
    setErrors({});
    try {
      await update.mutateAsync(form);
      notifications.show({ message: "Survey settings saved", color: "teal" });
    } catch (e) {
      if (e instanceof ApiError) {
        setErrors(Object.fromEntries((e.problem?.errors ?? []).map((x) => [x.path, x.message])));
        notifications.show({ message: e.message, color: "red" });
      } else throw e;
    }
  }

  return (
    <AdminFrame title="Surveys">
      <p className={classes.lead}>
        Satisfaction surveys go out by email with one link per score: one click answers, once, without signing
        in. Fatigue rules hold a survey back (it is recorded with the rule's name) so nobody is asked too
        often.
      </p>
      {settings.isPending || !form ? (
        <Loader size="sm" aria-label="Loading survey settings" />
      ) : settings.isError ? (
        <Text role="alert">The settings could not be loaded: {settings.error.message}</Text>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
          aria-label="Survey settings"
        >
          <Stack gap="lg" maw={640}>
            <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
              <legend style={{ fontWeight: 650, marginBottom: 8 }}>After a case is resolved</legend>
              <Stack gap="sm">
                <Switch
                  label="Ask for satisfaction after resolution"
                  checked={form.csatEnabled}
                  onChange={(e) => set("csatEnabled", e.currentTarget.checked)}
                />
                <Switch
                  label="Ask the customer effort score (CES, 1–7) instead of CSAT (1–5)"
                  checked={form.useCes}
                  onChange={(e) => set("useCes", e.currentTarget.checked)}
                />
                {num(
                  "csatDelayMinutes",
                  "Delay after resolution (minutes)",
                  "Default 1440 (24 hours). Not sent for merged cases, spam, or a case reopened meanwhile.",
                  0,
                  43_200,
                )}
              </Stack>
            </fieldset>
            <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
              <legend style={{ fontWeight: 650, marginBottom: 8 }}>Relationship survey (NPS)</legend>
              <Stack gap="sm">
                <Switch
                  label="Send NPS to each contact on a schedule"
                  checked={form.npsEnabled}
                  onChange={(e) => set("npsEnabled", e.currentTarget.checked)}
                />
                {num(
                  "npsIntervalDays",
                  "Every (days)",
                  "At most one NPS per contact in this many days; default 90",
                  1,
                  3650,
                )}
              </Stack>
            </fieldset>
            <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
              <legend style={{ fontWeight: 650, marginBottom: 8 }}>Answers and fatigue</legend>
              <Stack gap="sm">
                {num("answerWindowDays", "Links work for (days)", "Default 28", 1, 365)}
                {num(
                  "contactFatigueDays",
                  "At most one survey per contact per (days)",
                  "0 turns the rule off",
                  0,
                  365,
                )}
                {num(
                  "accountFatigueDays",
                  "At most one survey per account per (days)",
                  "0 turns the rule off",
                  0,
                  365,
                )}
                <Text size="xs" c="dimmed">
                  No survey goes to a contact with an open escalation.
                </Text>
              </Stack>
            </fieldset>
            <Group>
              <Button type="submit" loading={update.isPending}>
                Save
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </AdminFrame>
  );
}
