import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  Input,
  Loader,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
  Tooltip,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertCircle, IconClockShield, IconPlus, IconTrash, IconX } from "@tabler/icons-react";
import { type FormEvent, useEffect, useMemo, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { formErrorsFrom } from "../../api/form-errors";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { useAnnounce } from "../../components/live-region";
import { PageMessage } from "../../components/page";
import { Crumbs } from "../../customers/crumbs";
import {
  type TPolicy,
  type TPolicyInput,
  type TSlaAction,
  useCalendars,
  useDeletePolicy,
  usePolicies,
  useSavePolicy,
} from "../../sla/api";
import { formatTarget } from "../../sla/sla-format";
import { type TTeam, useCaseStatuses, useTeams } from "../cases/api";
import { CHANNELS, channelLabel, PRIORITIES, priorityLabel, statusLabelOf } from "../cases/case-format";
import classes from "./admin.module.css";
import { AdminFrame } from "./admin-page";
import { capital, problemsByPath, summarizeHours } from "./calendar-model";
import {
  actionSummary,
  actionTypeLabel,
  conditionsSummary,
  nextOrder,
  notifyLabel,
  tierLabel,
} from "./policy-model";

const FIELDS = [
  "name",
  "calendarId",
  "order",
  "appliesWhen",
  "firstResponseMinutes",
  "nextResponseMinutes",
  "resolutionMinutes",
  "warningPercent",
  "warningMinutesBefore",
  "pauseOn",
  "warningActions",
  "breachActions",
  "active",
] as const;
type TField = (typeof FIELDS)[number];

type TNumber = number | string;

type TDraft = {
  name: string;
  calendarId: string | null;
  order: TNumber;
  active: boolean;
  priority: string[];
  accountTier: string[];
  channel: string[];
  product: string[];
  entitled: "any" | "yes" | "no";
  firstResponseMinutes: TNumber;
  nextResponseMinutes: TNumber;
  resolutionMinutes: TNumber;
  warningMode: "percent" | "minutes";
  warningPercent: TNumber;
  warningMinutesBefore: TNumber;
  pauseOn: string[];
  warningActions: TSlaAction[];
  breachActions: TSlaAction[];
};

function draftOf(policy: TPolicy): TDraft {
  const when = policy.appliesWhen;
  return {
    name: policy.name,
    calendarId: policy.calendarId,
    order: policy.order,
    active: policy.active,
    priority: when.priority ?? [],
    accountTier: when.accountTier ?? [],
    channel: when.channel ?? [],
    product: when.product ?? [],
    entitled: when.entitled === undefined ? "any" : when.entitled ? "yes" : "no",
    firstResponseMinutes: policy.firstResponseMinutes,
    nextResponseMinutes: policy.nextResponseMinutes ?? "",
    resolutionMinutes: policy.resolutionMinutes,
    warningMode: policy.warningMinutesBefore ? "minutes" : "percent",
    warningPercent: policy.warningPercent ?? 75,
    warningMinutesBefore: policy.warningMinutesBefore ?? 30,
    pauseOn: policy.pauseOn,
    warningActions: policy.warningActions,
    breachActions: policy.breachActions,
  };
}

function newDraft(order: number, calendarId: string | null): TDraft {
  return {
    name: "",
    calendarId,
    order,
    active: true,
    priority: [],
    accountTier: [],
    channel: [],
    product: [],
    entitled: "any",
    firstResponseMinutes: 60,
    nextResponseMinutes: "",
    resolutionMinutes: 480,
    warningMode: "percent",
    warningPercent: 75,
    warningMinutesBefore: 30,
    pauseOn: ["waiting_on_customer"],
    warningActions: [{ type: "notify" }],
    breachActions: [{ type: "notify" }],
  };
}

const toNumber = (value: TNumber): number | null => {
  if (value === "" || value === null || value === undefined) return null;
  const number = typeof value === "number" ? value : Number(value);
  return Number.isFinite(number) ? number : null;
};

function bodyOf(draft: TDraft): TPolicyInput {
  const appliesWhen: TPolicyInput["appliesWhen"] = {};
  if (draft.priority.length)
    appliesWhen.priority = draft.priority as NonNullable<typeof appliesWhen.priority>;
  if (draft.accountTier.length)
    appliesWhen.accountTier = draft.accountTier as NonNullable<typeof appliesWhen.accountTier>;
  if (draft.channel.length) appliesWhen.channel = draft.channel as NonNullable<typeof appliesWhen.channel>;
  if (draft.product.length) appliesWhen.product = draft.product;
  if (draft.entitled !== "any") appliesWhen.entitled = draft.entitled === "yes";
  return {
    name: draft.name.trim(),
    calendarId: draft.calendarId ?? "",
    order: toNumber(draft.order) ?? 0,
    active: draft.active,
    appliesWhen,
    firstResponseMinutes: toNumber(draft.firstResponseMinutes) ?? 0,
    nextResponseMinutes: toNumber(draft.nextResponseMinutes),
    resolutionMinutes: toNumber(draft.resolutionMinutes) ?? 0,
    warningPercent: draft.warningMode === "percent" ? toNumber(draft.warningPercent) : null,
    warningMinutesBefore: draft.warningMode === "minutes" ? toNumber(draft.warningMinutesBefore) : null,
    pauseOn: draft.pauseOn,
    warningActions: draft.warningActions,
    breachActions: draft.breachActions,
  };
}

/** /admin/sla-policies/new and /admin/sla-policies/:id */
export function PolicyEditorPage() {
  const { id } = useParams();
  const { policies, byId, isPending, isError, error } = usePolicies();
  const calendars = useCalendars();
  const crumbs = <Crumbs trail={[{ label: "SLA policies", to: "/admin/sla-policies" }]} />;
  if (isPending || calendars.isPending) {
    return (
      <AdminFrame title={id ? "SLA policy" : "New SLA policy"} above={crumbs}>
        <Loader size="sm" aria-label="Loading" />
      </AdminFrame>
    );
  }
  if (!id) {
    return (
      <PolicyEditor
        policy={null}
        initial={newDraft(
          nextOrder(policies),
          calendars.calendars.length === 1 ? (calendars.calendars[0]?.id ?? null) : null,
        )}
      />
    );
  }
  const policy = byId.get(id);
  if (!policy) {
    return (
      <AdminFrame title="SLA policy not found" above={crumbs}>
        <PageMessage
          icon={IconClockShield}
          title={isError ? "SLA policies could not be loaded" : "There's no SLA policy here"}
          action={
            <Button component={Link} to="/admin/sla-policies" variant="light" mt="xs">
              All SLA policies
            </Button>
          }
        >
          {isError ? error.message : "It may have been deleted, or the link is mistyped."}
        </PageMessage>
      </AdminFrame>
    );
  }
  return <PolicyEditor key={policy.id} policy={policy} initial={draftOf(policy)} />;
}

function PolicyEditor({ policy, initial }: { policy: TPolicy | null; initial: TDraft }) {
  const navigate = useNavigate();
  const announce = useAnnounce();
  const save = useSavePolicy(policy?.id ?? null);
  const remove = useDeletePolicy();
  const { calendars, byId: calendarById } = useCalendars();
  const { statuses } = useCaseStatuses();
  const teams = useTeams();
  const [draft, setDraft] = useState<TDraft>(initial);
  const [fields, setFields] = useState<Partial<Record<TField, string>>>({});
  const [problems, setProblems] = useState<Map<string, string>>(new Map());
  const [formError, setFormError] = useState<string | null>(null);
  const [errorTick, setErrorTick] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (errorTick === 0) return;
    const target =
      formRef.current?.querySelector<HTMLElement>("[aria-invalid='true']") ??
      formRef.current?.querySelector<HTMLElement>("[role='alert']");
    target?.focus();
  }, [errorTick]);

  const set = <K extends keyof TDraft>(key: K, value: TDraft[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));

  const teamList: TTeam[] = teams.data?.items ?? [];
  const teamName = (id: string) => teams.byId.get(id)?.name;
  const pauseOptions = statuses
    .filter((status) => status.category !== "resolved")
    .map((status) => ({ value: status.key, label: status.label }));
  const calendar = draft.calendarId ? calendarById.get(draft.calendarId) : undefined;
  const body = useMemo(() => bodyOf(draft), [draft]);

  function submit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    const local: Partial<Record<TField, string>> = {};
    if (!draft.name.trim()) local.name = "Give the policy a name, such as “Urgent — key accounts”.";
    if (!draft.calendarId) local.calendarId = "Choose the calendar its targets count in.";
    if (!(body.firstResponseMinutes >= 1)) local.firstResponseMinutes = "Enter the target in minutes.";
    if (!(body.resolutionMinutes >= 1)) local.resolutionMinutes = "Enter the target in minutes.";
    if (toNumber(draft.order) === null) local.order = "Enter a number; lower numbers are checked first.";
    const localProblems = new Map<string, string>();
    for (const [path, list] of [
      ["/warningActions", draft.warningActions],
      ["/breachActions", draft.breachActions],
    ] as const) {
      list.forEach((action, index) => {
        if (action.type === "addTag" && !action.tag.trim())
          localProblems.set(`${path}/${index}/tag`, "enter the tag to add");
      });
    }
    if (Object.keys(local).length > 0 || localProblems.size > 0) {
      setFields(local);
      setProblems(localProblems);
      setErrorTick((tick) => tick + 1);
      return;
    }
    setFields({});
    setProblems(new Map());
    save.mutate(body, {
      onSuccess: (saved) => {
        notifications.show({ color: "green", message: `SLA policy ${saved.name} saved` });
        announce(`SLA policy ${saved.name} saved`);
        navigate("/admin/sla-policies");
      },
      onError: (error) => {
        const split = formErrorsFrom(error, FIELDS, {
          hints: {
            firstResponseMinutes: "Enter whole minutes, at least 1.",
            resolutionMinutes: "Enter whole minutes, at least 1.",
            nextResponseMinutes: "Enter whole minutes, at least 1, or leave it empty.",
            warningPercent: "Enter a percentage from 1 to 99.",
            warningMinutesBefore: "Enter whole minutes, at least 1.",
          },
        });
        setFields(split.fields);
        setProblems(problemsByPath(error));
        setFormError(split.form);
        setErrorTick((tick) => tick + 1);
      },
    });
  }

  const crumbs = <Crumbs trail={[{ label: "SLA policies", to: "/admin/sla-policies" }]} />;
  const minutesHint = (value: TNumber) => {
    const number = toNumber(value);
    return number && number > 0 ? `= ${formatTarget(number)} of business time` : "Business minutes";
  };

  return (
    <AdminFrame
      title={policy ? policy.name : "New SLA policy"}
      above={crumbs}
      actions={
        policy ? (
          <Button
            variant="subtle"
            color="red"
            size="xs"
            leftSection={<IconTrash size={14} aria-hidden />}
            onClick={() => setConfirming(true)}
          >
            Delete
          </Button>
        ) : null
      }
    >
      <form ref={formRef} onSubmit={submit} noValidate className={classes.form}>
        <Stack gap="lg">
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

          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              label="Name"
              placeholder="Urgent — key accounts"
              value={draft.name}
              onChange={(event) => set("name", event.currentTarget.value)}
              error={fields.name}
              required
              maxLength={200}
              data-autofocus
            />
            <Select
              label="Business calendar"
              placeholder={calendars.length ? "Choose a calendar" : "Create a calendar first"}
              data={calendars.map((item) => ({ value: item.id, label: item.name }))}
              value={draft.calendarId}
              onChange={(value) => set("calendarId", value)}
              allowDeselect={false}
              error={fields.calendarId}
              description={
                calendar ? (
                  `${summarizeHours(calendar.hours)} · ${calendar.timeZone}`
                ) : calendars.length === 0 ? (
                  <Anchor component={Link} to="/admin/calendars/new" size="xs">
                    New calendar
                  </Anchor>
                ) : undefined
              }
              required
            />
            <NumberInput
              label="Order"
              description="Lower numbers are checked first"
              min={0}
              max={1_000_000}
              allowDecimal={false}
              allowNegative={false}
              value={draft.order}
              onChange={(value) => set("order", value)}
              error={fields.order}
            />
            <Input.Wrapper label="Status" description="An inactive policy is skipped">
              <Switch
                mt={8}
                label={draft.active ? "Active" : "Inactive"}
                checked={draft.active}
                onChange={(event) => set("active", event.currentTarget.checked)}
              />
            </Input.Wrapper>
          </SimpleGrid>

          <section className={classes.card} aria-labelledby="conditions-title">
            <h2 className={classes.cardTitle} id="conditions-title">
              Applies to
            </h2>
            <Text size="xs" c="dimmed" mb="sm">
              Every condition set must hold; one left empty accepts anything.
            </Text>
            {fields.appliesWhen ? (
              <Text size="sm" c="red.8" role="alert" mb="xs">
                {fields.appliesWhen}
              </Text>
            ) : null}
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              <MultiSelect
                label="Priority"
                placeholder={draft.priority.length ? "" : "Any priority"}
                data={PRIORITIES.map((priority) => ({ value: priority, label: priorityLabel[priority] }))}
                value={draft.priority}
                onChange={(value) => set("priority", value)}
                clearable
              />
              <MultiSelect
                label="Account tier"
                placeholder={draft.accountTier.length ? "" : "Any account"}
                data={[
                  { value: "key", label: tierLabel.key },
                  { value: "standard", label: tierLabel.standard },
                ]}
                value={draft.accountTier}
                onChange={(value) => set("accountTier", value)}
                clearable
              />
              <MultiSelect
                label="Channel"
                placeholder={draft.channel.length ? "" : "Any channel"}
                data={CHANNELS.map((channel) => ({ value: channel, label: channelLabel[channel] }))}
                value={draft.channel}
                onChange={(value) => set("channel", value)}
                clearable
              />
              <TagsInput
                label="Product"
                placeholder={draft.product.length ? "" : "Any product (type, Enter)"}
                value={draft.product}
                onChange={(value) => set("product", value)}
                maxTags={100}
                clearable
              />
              <Input.Wrapper label="Entitlement">
                <SegmentedControl
                  fullWidth
                  value={draft.entitled}
                  onChange={(value) => set("entitled", value as TDraft["entitled"])}
                  data={[
                    { value: "any", label: "Any" },
                    { value: "yes", label: "Covered" },
                    { value: "no", label: "Not covered" },
                  ]}
                  aria-label="Entitlement"
                />
              </Input.Wrapper>
            </SimpleGrid>
          </section>

          <section className={classes.card} aria-labelledby="targets-title">
            <h2 className={classes.cardTitle} id="targets-title">
              Targets
            </h2>
            <Text size="xs" c="dimmed" mb="sm">
              In business minutes of the calendar.
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
              <NumberInput
                label="First response"
                description={minutesHint(draft.firstResponseMinutes)}
                min={1}
                max={525_600}
                allowDecimal={false}
                allowNegative={false}
                suffix=" min"
                value={draft.firstResponseMinutes}
                onChange={(value) => set("firstResponseMinutes", value)}
                error={fields.firstResponseMinutes}
                required
              />
              <NumberInput
                label="Next response"
                description={
                  toNumber(draft.nextResponseMinutes)
                    ? minutesHint(draft.nextResponseMinutes)
                    : "Optional: after each customer message"
                }
                min={1}
                max={525_600}
                allowDecimal={false}
                allowNegative={false}
                suffix=" min"
                value={draft.nextResponseMinutes}
                onChange={(value) => set("nextResponseMinutes", value)}
                error={fields.nextResponseMinutes}
              />
              <NumberInput
                label="Resolution"
                description={minutesHint(draft.resolutionMinutes)}
                min={1}
                max={525_600}
                allowDecimal={false}
                allowNegative={false}
                suffix=" min"
                value={draft.resolutionMinutes}
                onChange={(value) => set("resolutionMinutes", value)}
                error={fields.resolutionMinutes}
                required
              />
            </SimpleGrid>
            <Group mt="md" align="flex-end" gap="md">
              <Input.Wrapper label="Warn">
                <SegmentedControl
                  value={draft.warningMode}
                  onChange={(value) => set("warningMode", value as TDraft["warningMode"])}
                  data={[
                    { value: "percent", label: "At a share of the target" },
                    { value: "minutes", label: "Minutes before due" },
                  ]}
                  aria-label="Warn"
                />
              </Input.Wrapper>
              {draft.warningMode === "percent" ? (
                <NumberInput
                  w={140}
                  aria-label="Warn when this share has elapsed"
                  min={1}
                  max={99}
                  allowDecimal={false}
                  allowNegative={false}
                  suffix="%"
                  value={draft.warningPercent}
                  onChange={(value) => set("warningPercent", value)}
                  error={fields.warningPercent}
                />
              ) : (
                <NumberInput
                  w={140}
                  aria-label="Warn this many minutes before due"
                  min={1}
                  max={525_600}
                  allowDecimal={false}
                  allowNegative={false}
                  suffix=" min"
                  value={draft.warningMinutesBefore}
                  onChange={(value) => set("warningMinutesBefore", value)}
                  error={fields.warningMinutesBefore}
                />
              )}
            </Group>
            <MultiSelect
              mt="md"
              label="Pause the clocks while the case is"
              placeholder={draft.pauseOn.length ? "" : "Never paused"}
              data={pauseOptions}
              value={draft.pauseOn}
              onChange={(value) => set("pauseOn", value)}
              error={fields.pauseOn}
              clearable
            />
          </section>

          <section className={classes.card} aria-labelledby="actions-title">
            <h2 className={classes.cardTitle} id="actions-title">
              What happens
            </h2>
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl" mt="xs">
              <ActionsEditor
                title="At the warning point"
                path="/warningActions"
                actions={draft.warningActions}
                onChange={(actions) => set("warningActions", actions)}
                teams={teamList}
                problems={problems}
                error={fields.warningActions}
              />
              <ActionsEditor
                title="At a breach"
                path="/breachActions"
                actions={draft.breachActions}
                onChange={(actions) => set("breachActions", actions)}
                teams={teamList}
                problems={problems}
                error={fields.breachActions}
              />
            </SimpleGrid>
          </section>

          <div className={classes.preview} aria-live="polite" data-testid="policy-preview">
            <strong>In short: </strong>
            {previewText(draft, body, calendar?.name, calendar ? summarizeHours(calendar.hours) : undefined, {
              status: (key) => statusLabelOf(key, new Map(statuses.map((s) => [s.key, s]))),
              team: teamName,
            })}
          </div>

          <Group justify="flex-end" gap="sm">
            <Button component={Link} to="/admin/sla-policies" variant="default">
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {policy ? "Save policy" : "Create policy"}
            </Button>
          </Group>
        </Stack>
      </form>
      {policy ? (
        <ConfirmDialog
          opened={confirming}
          onClose={() => setConfirming(false)}
          onConfirm={() =>
            remove.mutate(policy.id, {
              onSuccess: () => {
                notifications.show({ color: "gray", message: `SLA policy ${policy.name} deleted` });
                announce(`SLA policy ${policy.name} deleted`);
                navigate("/admin/sla-policies", { replace: true });
              },
            })
          }
          title={`Delete ${policy.name}?`}
          confirmLabel="Delete policy"
          busy={remove.isPending}
          error={remove.error ? remove.error.message : null}
        >
          Cases already under it keep their clocks; new cases will be matched against the other policies.
        </ConfirmDialog>
      ) : null}
    </AdminFrame>
  );
}

function previewText(
  draft: TDraft,
  body: TPolicyInput,
  calendarName: string | undefined,
  hours: string | undefined,
  names: { status: (key: string) => string; team: (id: string) => string | undefined },
): string {
  const conditions = conditionsSummary(body.appliesWhen ?? {});
  const first = body.firstResponseMinutes > 0 ? formatTarget(body.firstResponseMinutes) : "?";
  const resolution = body.resolutionMinutes > 0 ? formatTarget(body.resolutionMinutes) : "?";
  const next = body.nextResponseMinutes
    ? `, every later reply within ${formatTarget(body.nextResponseMinutes)}`
    : "";
  const where = calendarName
    ? ` of business time in “${calendarName}”${hours && hours !== calendarName ? ` (${hours})` : ""}`
    : " of business time";
  const warn =
    draft.warningMode === "percent"
      ? `Warns at ${body.warningPercent ?? 75}% of each target`
      : `Warns ${formatTarget(body.warningMinutesBefore ?? 0)} before each is due`;
  const pause = draft.pauseOn.length
    ? `; clocks pause while ${draft.pauseOn.map(names.status).join(" or ")}`
    : "; clocks never pause";
  const acts = (list: TSlaAction[]) =>
    list.length ? list.map((action) => actionSummary(action, names.team)).join(", ") : "nothing";
  return `${conditions === "Every case" ? "Every case" : `Cases with ${conditions.toLowerCase()}`}: first response within ${first}${next}, resolved within ${resolution}${where}. ${warn}${pause}. At the warning: ${acts(draft.warningActions)}. At a breach: ${acts(draft.breachActions)}.${draft.active ? "" : " (Inactive: skipped.)"}`;
}

function defaultAction(type: TSlaAction["type"]): TSlaAction {
  switch (type) {
    case "notify":
      return { type: "notify" };
    case "raisePriority":
      return { type: "raisePriority" };
    case "reassign":
      return { type: "reassign", toTeamLead: true };
    case "addTag":
      return { type: "addTag", tag: "" };
  }
}

function ActionsEditor({
  title,
  path,
  actions,
  onChange,
  teams,
  problems,
  error,
}: {
  title: string;
  path: string;
  actions: TSlaAction[];
  onChange: (actions: TSlaAction[]) => void;
  teams: TTeam[];
  problems: Map<string, string>;
  error: string | undefined;
}) {
  const replace = (index: number, action: TSlaAction) =>
    onChange(actions.map((item, at) => (at === index ? action : item)));
  return (
    <fieldset style={{ border: 0, margin: 0, padding: 0, minWidth: 0 }}>
      <legend>
        <Text fw={600} size="sm">
          {title}
        </Text>
      </legend>
      {error ? (
        <Text size="xs" c="red.8" role="alert">
          {error}
        </Text>
      ) : null}
      {actions.length === 0 ? (
        <Text size="sm" c="dimmed" mt={6}>
          Nothing happens.
        </Text>
      ) : null}
      {actions.map((action, index) => {
        const base = `${path}/${index}`;
        const problem = [...problems.entries()]
          .filter(([key]) => key === base || key.startsWith(`${base}/`))
          .map(([, message]) => message)
          .join("; ");
        const label = `${title}, action ${index + 1}`;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: actions have no identity beyond their place.
          <fieldset key={index} className={classes.actionRow} aria-label={label}>
            <Select
              size="xs"
              aria-label={`${label}: type`}
              data={(Object.keys(actionTypeLabel) as TSlaAction["type"][]).map((type) => ({
                value: type,
                label: actionTypeLabel[type],
              }))}
              value={action.type}
              onChange={(value) => value && replace(index, defaultAction(value as TSlaAction["type"]))}
              allowDeselect={false}
              error={problem ? true : undefined}
            />
            <div>
              {action.type === "notify" ? (
                <MultiSelect
                  size="xs"
                  aria-label={`${label}: who`}
                  placeholder={action.to?.length ? "" : "Owner and team lead"}
                  data={(Object.keys(notifyLabel) as (keyof typeof notifyLabel)[]).map((to) => ({
                    value: to,
                    label: notifyLabel[to],
                  }))}
                  value={action.to ?? []}
                  onChange={(value) =>
                    replace(
                      index,
                      value.length
                        ? {
                            type: "notify",
                            to: value as NonNullable<Extract<TSlaAction, { type: "notify" }>["to"]>,
                          }
                        : { type: "notify" },
                    )
                  }
                />
              ) : action.type === "reassign" ? (
                <Group gap={8} wrap="nowrap">
                  <Select
                    size="xs"
                    aria-label={`${label}: team`}
                    placeholder="The case's own team"
                    clearable
                    data={teams.map((team) => ({ value: team.id, label: team.name }))}
                    value={action.teamId ?? null}
                    onChange={(value) =>
                      replace(index, {
                        type: "reassign",
                        ...(value ? { teamId: value } : {}),
                        ...(action.toTeamLead ? { toTeamLead: true } : {}),
                      })
                    }
                    style={{ flex: 1, minWidth: 0 }}
                  />
                  <Checkbox
                    size="xs"
                    label="to its lead"
                    checked={Boolean(action.toTeamLead)}
                    onChange={(event) =>
                      replace(index, {
                        type: "reassign",
                        ...(action.teamId ? { teamId: action.teamId } : {}),
                        ...(event.currentTarget.checked ? { toTeamLead: true } : {}),
                      })
                    }
                  />
                </Group>
              ) : action.type === "addTag" ? (
                <TextInput
                  size="xs"
                  aria-label={`${label}: tag`}
                  placeholder="sla-breached"
                  value={action.tag}
                  maxLength={50}
                  onChange={(event) => replace(index, { type: "addTag", tag: event.currentTarget.value })}
                />
              ) : (
                <Text size="xs" c="dimmed" pb={6}>
                  Low → normal → high → urgent
                </Text>
              )}
            </div>
            <Tooltip label="Remove this action">
              <ActionIcon
                variant="subtle"
                color="gray"
                size={30}
                onClick={() => onChange(actions.filter((_, at) => at !== index))}
                aria-label={`Remove ${label}`}
              >
                <IconX size={14} aria-hidden />
              </ActionIcon>
            </Tooltip>
            {problem ? (
              <Text size="xs" c="red.8" role="alert" style={{ gridColumn: "1 / -1" }}>
                {capital(problem)}
              </Text>
            ) : null}
          </fieldset>
        );
      })}
      <Button
        mt={8}
        size="compact-sm"
        variant="subtle"
        leftSection={<IconPlus size={13} aria-hidden />}
        onClick={() => onChange([...actions, { type: "notify" }])}
        disabled={actions.length >= 10}
      >
        Add action
      </Button>
    </fieldset>
  );
}
