import {
  Alert,
  Button,
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
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertCircle, IconRoute, IconTrash } from "@tabler/icons-react";
import { type FormEvent, useEffect, useMemo, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { formErrorsFrom } from "../../api/form-errors";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { useAnnounce } from "../../components/live-region";
import { PageMessage } from "../../components/page";
import { ownerOptions, useStaffUsers } from "../../customers/api";
import { Crumbs } from "../../customers/crumbs";
import { type TRule, type TRuleInput, useDeleteRule, useRoutingRules, useSaveRule } from "../../routing/api";
import routing from "../../routing/routing.module.css";
import {
  bandLabel,
  bodyOf,
  draftOf,
  newDraft,
  type TOwnerMode,
  type TRuleDraft,
  tierLabel,
} from "../../routing/rule-model";
import { RuleTester } from "../../routing/rule-tester";
import { useRoutingNames } from "../../routing/use-names";
import { useCalendars } from "../../sla/api";
import { useQueues, useTeams } from "../cases/api";
import { CHANNELS, channelLabel, PRIORITIES, priorityLabel } from "../cases/case-format";
import classes from "./admin.module.css";
import { AdminFrame } from "./admin-page";
import { problemsByPath } from "./calendar-model";
import { nextOrder } from "./policy-model";

const FIELDS = ["name", "order", "when", "then", "active", "continue"] as const;
type TField = (typeof FIELDS)[number];

/** /admin/routing-rules/new and /admin/routing-rules/:id */
export function RoutingRuleEditorPage() {
  const { id } = useParams();
  const { rules, byId, isPending, isError, error } = useRoutingRules();
  const crumbs = <Crumbs trail={[{ label: "Routing rules", to: "/admin/routing-rules" }]} />;
  if (isPending) {
    return (
      <AdminFrame title={id ? "Routing rule" : "New routing rule"} above={crumbs}>
        <Loader size="sm" aria-label="Loading" />
      </AdminFrame>
    );
  }
  if (!id) return <RuleEditor rule={null} rules={rules} initial={newDraft(nextOrder(rules))} />;
  const rule = byId.get(id);
  if (!rule) {
    return (
      <AdminFrame title="Routing rule not found" above={crumbs}>
        <PageMessage
          icon={IconRoute}
          title={isError ? "Routing rules could not be loaded" : "There's no routing rule here"}
          action={
            <Button component={Link} to="/admin/routing-rules" variant="light" mt="xs">
              All routing rules
            </Button>
          }
        >
          {isError ? error.message : "It may have been deleted, or the link is mistyped."}
        </PageMessage>
      </AdminFrame>
    );
  }
  return <RuleEditor key={rule.id} rule={rule} rules={rules} initial={draftOf(rule)} />;
}

function RuleEditor({ rule, rules, initial }: { rule: TRule | null; rules: TRule[]; initial: TRuleDraft }) {
  const navigate = useNavigate();
  const announce = useAnnounce();
  const save = useSaveRule(rule?.id ?? null);
  const remove = useDeleteRule();
  const names = useRoutingNames();
  const { queues } = useQueues();
  const teams = useTeams();
  const { users } = useStaffUsers();
  const { calendars } = useCalendars();
  const [draft, setDraft] = useState<TRuleDraft>(initial);
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

  const set = <K extends keyof TRuleDraft>(key: K, value: TRuleDraft[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));
  const body = useMemo(() => bodyOf(draft), [draft]);
  // The tester runs the whole list with this rule as edited (unsaved) in its place.
  const draftRules = useMemo(() => {
    const others: (TRuleInput & { id?: string })[] = rules
      .filter((r) => r.id !== rule?.id)
      .map((r) => ({
        id: r.id,
        name: r.name,
        order: r.order,
        active: r.active,
        continue: r.continue,
        when: r.when,
        then: r.then,
      }));
    return [...others, { ...body, id: rule?.id ?? "this-rule", name: body.name || "This rule" }];
  }, [rules, rule?.id, body]);

  // The first problem at the path or below it (/when/keywords covers /when/keywords/2).
  const problem = (path: string) =>
    [...problems].find(([at]) => at === path || at.startsWith(`${path}/`))?.[1];
  const teamOptions = (teams.data?.items ?? []).map((team) => ({ value: team.id, label: team.name }));
  const queueOptions = queues.map((queue) => ({ value: queue.id, label: queue.name }));
  const people = ownerOptions(users);

  function submit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    const local: Partial<Record<TField, string>> = {};
    if (!draft.name.trim()) local.name = "Give the rule a name, such as “Billing questions”.";
    if (draft.order === "" || Number.isNaN(Number(draft.order)))
      local.order = "Enter a number; lower numbers are checked first.";
    const localProblems = new Map<string, string>();
    if (draft.hoursMode !== "any" && !draft.calendarId)
      localProblems.set("/when/withinHours/calendarId", "choose the calendar");
    if (draft.ownerMode === "user" && !draft.ownerId) localProblems.set("/then/ownerId", "choose the owner");
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
        notifications.show({ color: "green", message: `Routing rule ${saved.name} saved` });
        announce(`Routing rule ${saved.name} saved`);
        navigate("/admin/routing-rules");
      },
      onError: (error) => {
        const split = formErrorsFrom(error, FIELDS);
        setFields(split.fields);
        setProblems(problemsByPath(error));
        setFormError(split.form);
        setErrorTick((tick) => tick + 1);
      },
    });
  }

  const crumbs = <Crumbs trail={[{ label: "Routing rules", to: "/admin/routing-rules" }]} />;

  return (
    <AdminFrame
      title={rule ? rule.name : "New routing rule"}
      above={crumbs}
      actions={
        rule ? (
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
      <div className={routing.split}>
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
                placeholder="Billing questions"
                value={draft.name}
                onChange={(event) => set("name", event.currentTarget.value)}
                error={fields.name}
                required
                maxLength={200}
                data-autofocus
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
              <Input.Wrapper label="Status" description="An inactive rule is skipped">
                <Switch
                  mt={8}
                  label={draft.active ? "Active" : "Inactive"}
                  checked={draft.active}
                  onChange={(event) => set("active", event.currentTarget.checked)}
                />
              </Input.Wrapper>
              <Input.Wrapper
                label="After a match"
                description="Continue: later rules may match and add to it"
              >
                <SegmentedControl
                  mt={4}
                  fullWidth
                  value={draft.continue ? "continue" : "stop"}
                  onChange={(value) => set("continue", value === "continue")}
                  data={[
                    { value: "stop", label: "Stop here" },
                    { value: "continue", label: "Continue" },
                  ]}
                />
              </Input.Wrapper>
            </SimpleGrid>

            <section className={classes.card} aria-labelledby="when-title">
              <h2 className={classes.cardTitle} id="when-title">
                When
              </h2>
              <Text size="xs" c="dimmed" mb="sm">
                Every condition you fill in must hold; a list accepts any of its values. No conditions: every
                case (a default rule — keep it last).
              </Text>
              {fields.when ? (
                <Text size="sm" c="red.8" role="alert" mb="xs">
                  {fields.when}
                </Text>
              ) : null}
              <TagsInput
                mb="md"
                label="Words in the subject or description"
                description="Any of them; whole words, end with * for a prefix (refund*)"
                placeholder={draft.keywords.length ? "" : "invoice, refund* (type, Enter)"}
                value={draft.keywords}
                onChange={(value) => set("keywords", value)}
                error={problem("/when/keywords")}
                maxTags={100}
                clearable
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
                <TagsInput
                  label="Product"
                  placeholder={draft.product.length ? "" : "Any product (type, Enter)"}
                  value={draft.product}
                  onChange={(value) => set("product", value)}
                  maxTags={100}
                  clearable
                />
                <MultiSelect
                  label="Priority"
                  placeholder={draft.priority.length ? "" : "Any priority"}
                  data={PRIORITIES.map((p) => ({ value: p, label: priorityLabel[p] }))}
                  value={draft.priority}
                  onChange={(value) => set("priority", value)}
                  clearable
                />
                <MultiSelect
                  label="Channel"
                  placeholder={draft.channel.length ? "" : "Any channel"}
                  data={CHANNELS.map((c) => ({ value: c, label: channelLabel[c] }))}
                  value={draft.channel}
                  onChange={(value) => set("channel", value)}
                  clearable
                />
                <TagsInput
                  label="Category"
                  placeholder={draft.category.length ? "" : "Any category"}
                  value={draft.category}
                  onChange={(value) => set("category", value)}
                  maxTags={100}
                  clearable
                />
                <TagsInput
                  label="Tagged with any of"
                  placeholder={draft.tags.length ? "" : "Any tags"}
                  value={draft.tags}
                  onChange={(value) => set("tags", value)}
                  maxTags={50}
                  clearable
                />
                <TagsInput
                  label="Contact language"
                  description="Language codes, e.g. de, fr"
                  placeholder={draft.language.length ? "" : "Any language"}
                  value={draft.language}
                  onChange={(value) => set("language", value)}
                  maxTags={50}
                  clearable
                />
                <MultiSelect
                  label="Account tier"
                  placeholder={draft.accountTier.length ? "" : "Any account"}
                  data={Object.entries(tierLabel).map(([value, label]) => ({ value, label }))}
                  value={draft.accountTier}
                  onChange={(value) => set("accountTier", value)}
                  clearable
                />
                <MultiSelect
                  label="Account health"
                  placeholder={draft.healthBand.length ? "" : "Any health"}
                  data={Object.entries(bandLabel).map(([value, label]) => ({ value, label }))}
                  value={draft.healthBand}
                  onChange={(value) => set("healthBand", value)}
                  clearable
                />
                <MultiSelect
                  label="Account owner"
                  placeholder={draft.accountOwnerId.length ? "" : "Any owner"}
                  data={people}
                  value={draft.accountOwnerId}
                  onChange={(value) => set("accountOwnerId", value)}
                  error={problem("/when/accountOwnerId")}
                  searchable
                  clearable
                />
              </SimpleGrid>
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" mt="md">
                <Input.Wrapper label="Received" style={{ gridColumn: "1 / -1" }}>
                  <SegmentedControl
                    fullWidth
                    value={draft.hoursMode}
                    onChange={(value) => set("hoursMode", value as TRuleDraft["hoursMode"])}
                    data={[
                      { value: "any", label: "Any time" },
                      { value: "inside", label: "In hours" },
                      { value: "outside", label: "Out of hours" },
                    ]}
                  />
                </Input.Wrapper>
                {draft.hoursMode !== "any" ? (
                  <Select
                    label="Business calendar"
                    placeholder="Choose a calendar"
                    data={calendars.map((cal) => ({ value: cal.id, label: cal.name }))}
                    value={draft.calendarId}
                    onChange={(value) => set("calendarId", value)}
                    error={problem("/when/withinHours/calendarId")}
                  />
                ) : null}
              </SimpleGrid>
            </section>

            <section className={classes.card} aria-labelledby="then-title">
              <h2 className={classes.cardTitle} id="then-title">
                Then
              </h2>
              <Text size="xs" c="dimmed" mb="sm">
                A queue brings its team unless you choose one. With no owner, the queue's strategy picks the
                agent.
              </Text>
              {fields.then ? (
                <Text size="sm" c="red.8" role="alert" mb="xs">
                  {fields.then}
                </Text>
              ) : null}
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
                <Select
                  label="Queue"
                  placeholder="Leave as is"
                  data={queueOptions}
                  value={draft.queueId}
                  onChange={(value) => set("queueId", value)}
                  error={problem("/then/queueId")}
                  searchable
                  clearable
                />
                <Select
                  label="Team"
                  placeholder="The queue's team"
                  data={teamOptions}
                  value={draft.teamId}
                  onChange={(value) => set("teamId", value)}
                  error={problem("/then/teamId")}
                  searchable
                  clearable
                />
                <Select
                  label="Set priority"
                  placeholder="Leave as is"
                  data={PRIORITIES.map((p) => ({ value: p, label: priorityLabel[p] }))}
                  value={draft.setPriority}
                  onChange={(value) => set("setPriority", value)}
                  clearable
                />
                <TagsInput
                  label="Add tags"
                  value={draft.addTags}
                  onChange={(value) => set("addTags", value)}
                  error={problem("/then/tags")}
                  maxTags={50}
                  clearable
                />
                <Input.Wrapper label="Owner" style={{ gridColumn: "1 / -1" }}>
                  <SegmentedControl
                    fullWidth
                    value={draft.ownerMode}
                    onChange={(value) => set("ownerMode", value as TOwnerMode)}
                    data={[
                      { value: "none", label: "By the queue" },
                      { value: "account", label: "Account owner" },
                      { value: "user", label: "A person" },
                    ]}
                  />
                </Input.Wrapper>
                {draft.ownerMode === "user" ? (
                  <Select
                    label="Owner"
                    placeholder="Choose a person"
                    data={people}
                    value={draft.ownerId}
                    onChange={(value) => set("ownerId", value)}
                    error={problem("/then/ownerId") ?? problem("/then/assignToAccountOwner")}
                    searchable
                  />
                ) : null}
              </SimpleGrid>
            </section>

            <Group>
              <Button type="submit" loading={save.isPending}>
                {rule ? "Save rule" : "Create rule"}
              </Button>
              <Button component={Link} to="/admin/routing-rules" variant="default">
                Cancel
              </Button>
            </Group>
          </Stack>
        </form>
        <div className={classes.card}>
          <RuleTester names={names} draftRules={draftRules} />
        </div>
      </div>
      {rule ? (
        <ConfirmDialog
          opened={confirming}
          onClose={() => setConfirming(false)}
          title={`Delete ${rule.name}?`}
          confirmLabel="Delete rule"
          busy={remove.isPending}
          error={remove.error ? remove.error.message : null}
          onConfirm={() =>
            remove.mutate(rule.id, {
              onSuccess: () => {
                notifications.show({ color: "green", message: `Routing rule ${rule.name} deleted` });
                navigate("/admin/routing-rules");
              },
            })
          }
        >
          New cases will no longer be placed by it. Cases it placed keep their explanation.
        </ConfirmDialog>
      ) : null}
    </AdminFrame>
  );
}
