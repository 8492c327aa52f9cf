import {
  Alert,
  Anchor,
  Button,
  Group,
  MultiSelect,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Textarea,
  TextInput,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { formErrorsFrom } from "../../api/form-errors";
import { areaByKey } from "../../app/areas";
import { Page } from "../../components/page";
import { normalizeSegment, type Segment } from "../../components/segment-builder";
import { AffectsField, AudiencePreview } from "./affects-field";
import {
  INCIDENT_IMPACTS,
  INCIDENT_STATUSES,
  impactLabel,
  statusLabel,
  type TIncidentImpact,
  type TIncidentStatus,
  useIncidentMutations,
  useStatusComponents,
} from "./api";
import classes from "./incidents.module.css";

const FIELDS = [
  "title",
  "description",
  "impact",
  "status",
  "public",
  "componentIds",
  "affects",
  "message",
  "notify",
  "startedAt",
] as const;
type TField = (typeof FIELDS)[number];

/** Declaring an incident: what broke, how badly, who it affects, and the first public update. */
export function DeclareIncidentPage() {
  const area = areaByKey("incidents");
  const navigate = useNavigate();
  const { create } = useIncidentMutations();
  const components = useStatusComponents();
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [impact, setImpact] = useState<TIncidentImpact>("major");
  const [status, setStatus] = useState<TIncidentStatus>("investigating");
  const [isPublic, setPublic] = useState(true);
  const [componentIds, setComponentIds] = useState<string[]>([]);
  const [affects, setAffects] = useState<Segment | null>(null);
  const [message, setMessage] = useState("");
  const [notify, setNotify] = useState(true);
  const [errors, setErrors] = useState<{ fields: Partial<Record<TField, string>>; form: string | null }>({
    fields: {},
    form: null,
  });

  // After a refusal, focus the first field that says what is wrong (or the message above the form).
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!errors.form && Object.keys(errors.fields).length === 0) return;
    const target = formRef.current?.querySelector<HTMLElement>("[aria-invalid='true'], [role='alert']");
    target?.focus({ preventScroll: false });
    target?.scrollIntoView({ block: "center" });
  }, [errors]);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!title.trim()) {
      setErrors({ fields: { title: "Say what is broken, in a few words." }, form: null });
      return;
    }
    create.mutate(
      {
        title: title.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        impact,
        status: status as Exclude<TIncidentStatus, "resolved">,
        public: isPublic,
        componentIds,
        affects: affects === null ? null : normalizeSegment(affects),
        ...(message.trim() ? { message: message.trim() } : {}),
        notify,
      },
      {
        onSuccess: (incident) => {
          notifications.show({ color: "green", message: `${incident.number} declared` });
          navigate(`/incidents/${incident.id}`);
        },
        onError: (error) => setErrors(formErrorsFrom(error, FIELDS)),
      },
    );
  }

  return (
    <Page
      title="Declare an incident"
      icon={area.icon}
      above={
        <Anchor component={Link} to="/incidents" size="sm">
          ← Incidents
        </Anchor>
      }
    >
      <form
        ref={formRef}
        onSubmit={onSubmit}
        noValidate
        className={classes.form}
        aria-label="Declare an incident"
      >
        <Stack gap="md">
          {errors.form ? (
            <Alert color="red" role="alert" tabIndex={-1}>
              {errors.form}
            </Alert>
          ) : null}
          <TextInput
            label="Title"
            description="Customers read it on the status page and in notices"
            placeholder="e.g. Billing exports fail"
            required
            maxLength={200}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={errors.fields.title}
            data-autofocus
            autoFocus
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
            <Select
              label="Impact"
              data={INCIDENT_IMPACTS.map((value) => ({ value, label: impactLabel[value] }))}
              value={impact}
              onChange={(value) => value && setImpact(value as TIncidentImpact)}
              allowDeselect={false}
              error={errors.fields.impact}
            />
            <Select
              label="Status"
              data={INCIDENT_STATUSES.filter((value) => value !== "resolved").map((value) => ({
                value,
                label: statusLabel[value],
              }))}
              value={status}
              onChange={(value) => value && setStatus(value as TIncidentStatus)}
              allowDeselect={false}
              error={errors.fields.status}
            />
            <Switch
              label="On the public status page"
              checked={isPublic}
              onChange={(e) => setPublic(e.currentTarget.checked)}
              error={errors.fields.public}
              mt={28}
            />
          </SimpleGrid>
          <MultiSelect
            label="Components"
            description="Parts of the service shown on the status page"
            placeholder={componentIds.length ? "" : "None"}
            data={(components.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
            value={componentIds}
            onChange={setComponentIds}
            searchable
            clearable
            hidePickedOptions
            nothingFoundMessage={
              components.isPending ? "Loading…" : "No components: add them in Admin → Status page"
            }
            error={errors.fields.componentIds}
          />
          <AffectsField value={affects} onChange={setAffects} error={errors.fields.affects} />
          <Textarea
            label="Internal description"
            description="For staff only: never shown to customers"
            autosize
            minRows={2}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={errors.fields.description}
          />
          <Textarea
            label="First update"
            description="Public: on the status page and in the notice to customers"
            placeholder={`We are investigating reports of a problem with ${title.trim() || "…"}.`}
            autosize
            minRows={3}
            maxLength={5000}
            value={message}
            onChange={(e) => setMessage(e.currentTarget.value)}
            error={errors.fields.message}
          />
          <Stack gap={4}>
            <Switch
              label="Tell affected customers now"
              checked={notify}
              onChange={(e) => setNotify(e.currentTarget.checked)}
              error={errors.fields.notify}
            />
            <AudiencePreview affects={affects} notify={notify} />
          </Stack>
          <Group justify="flex-end">
            <Button variant="default" component={Link} to="/incidents">
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} color="red">
              Declare incident
            </Button>
          </Group>
        </Stack>
      </form>
    </Page>
  );
}
