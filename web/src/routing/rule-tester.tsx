import {
  Alert,
  Button,
  Collapse,
  Group,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  UnstyledButton,
} from "@mantine/core";
import {
  IconAlertCircle,
  IconCheck,
  IconChevronDown,
  IconChevronRight,
  IconMinus,
  IconTestPipe,
} from "@tabler/icons-react";
import { type FormEvent, useState } from "react";
import { ApiError } from "../api/problem";
import { useAnnounce } from "../components/live-region";
import { CHANNELS, channelLabel, PRIORITIES, priorityLabel } from "../pages/cases/case-format";
import { type TRuleInput, type TTestResult, useTestRules } from "./api";
import classes from "./routing.module.css";
import { bandLabel, newSample, sampleBody, type TNames, type TSampleDraft, tierLabel } from "./rule-model";

/**
 * "Which rule would match this sample case?" Sends the sample (and, from the editor, the rule
 * list with the unsaved rule in it) to the tester endpoint and shows which rules matched, why the
 * others did not, where the case would land and who would get it. Nothing is stored.
 */
export function RuleTester({
  names,
  draftRules,
  onResult,
}: {
  names: TNames;
  /** The list to test instead of the stored rules (the editor's unsaved change in place). */
  draftRules?: (TRuleInput & { id?: string })[];
  onResult?: (result: TTestResult | null) => void;
}) {
  const test = useTestRules();
  const announce = useAnnounce();
  const [sample, setSample] = useState<TSampleDraft>(newSample);
  const [more, setMore] = useState(false);
  const [showTrace, setShowTrace] = useState(false);
  const result = test.data;
  const set = <K extends keyof TSampleDraft>(key: K, value: TSampleDraft[K]) =>
    setSample((current) => ({ ...current, [key]: value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    test.mutate(
      { case: sampleBody(sample), ...(draftRules ? { rules: draftRules } : {}) },
      {
        onSuccess: (answer) => {
          onResult?.(answer);
          const first = answer.matched.at(-1);
          announce(first ? `Rule ${first.position}, ${first.name}, would decide` : "No rule would match");
        },
        onError: () => onResult?.(null),
      },
    );
  }

  const placement = result?.result;
  const failure =
    test.error instanceof ApiError
      ? (test.error.problem?.errors?.map((e) => `${e.path}: ${e.message}`).join("; ") ?? test.error.message)
      : test.error
        ? "The test could not run. Try again."
        : null;

  return (
    <section className={classes.tester} aria-labelledby="tester-title">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <div>
            <h2 id="tester-title" style={{ margin: 0, fontSize: "var(--mantine-font-size-md)" }}>
              Which rule would match?
            </h2>
            <Text size="xs" c="dimmed">
              Describe a case as it would arrive. Nothing is created.
            </Text>
          </div>
          <TextInput
            label="Subject"
            placeholder="Invoice shows the wrong VAT"
            value={sample.subject}
            onChange={(event) => set("subject", event.currentTarget.value)}
          />
          <Textarea
            label="Description"
            autosize
            minRows={2}
            maxRows={6}
            value={sample.description}
            onChange={(event) => set("description", event.currentTarget.value)}
          />
          <SimpleGrid cols={2} spacing="sm">
            <TextInput
              label="Product"
              value={sample.product}
              onChange={(event) => set("product", event.currentTarget.value)}
            />
            <Select
              label="Priority"
              placeholder="Normal"
              data={PRIORITIES.map((p) => ({ value: p, label: priorityLabel[p] }))}
              value={sample.priority}
              onChange={(value) => set("priority", value)}
              clearable
            />
            <Select
              label="Channel"
              placeholder="API"
              data={CHANNELS.map((c) => ({ value: c, label: channelLabel[c] }))}
              value={sample.channel}
              onChange={(value) => set("channel", value)}
              clearable
            />
            <Select
              label="Account tier"
              placeholder="No account"
              data={Object.entries(tierLabel).map(([value, label]) => ({ value, label }))}
              value={sample.accountTier}
              onChange={(value) => set("accountTier", value)}
              clearable
            />
          </SimpleGrid>
          <UnstyledButton
            onClick={() => setMore((open) => !open)}
            aria-expanded={more}
            style={{ fontSize: "var(--mantine-font-size-sm)", display: "flex", alignItems: "center", gap: 4 }}
          >
            {more ? <IconChevronDown size={14} aria-hidden /> : <IconChevronRight size={14} aria-hidden />}
            More about the case
          </UnstyledButton>
          <Collapse expanded={more}>
            <SimpleGrid cols={2} spacing="sm">
              <TextInput
                label="Category"
                value={sample.category}
                onChange={(event) => set("category", event.currentTarget.value)}
              />
              <TextInput
                label="Contact language"
                placeholder="en"
                value={sample.language}
                onChange={(event) => set("language", event.currentTarget.value)}
              />
              <Select
                label="Health"
                placeholder="Not scored"
                data={Object.entries(bandLabel).map(([value, label]) => ({ value, label }))}
                value={sample.healthBand}
                onChange={(value) => set("healthBand", value)}
                clearable
              />
              <TextInput
                label="Received at"
                type="datetime-local"
                value={sample.receivedAt}
                onChange={(event) => set("receivedAt", event.currentTarget.value)}
              />
            </SimpleGrid>
            <TagsInput
              mt="sm"
              label="Tags"
              value={sample.tags}
              onChange={(value) => set("tags", value)}
              maxTags={20}
            />
          </Collapse>
          <Group>
            <Button
              type="submit"
              leftSection={<IconTestPipe size={16} aria-hidden />}
              loading={test.isPending}
            >
              Test
            </Button>
          </Group>
        </Stack>
      </form>

      <div aria-live="polite">
        {failure ? (
          <Alert mt="md" color="red" variant="light" icon={<IconAlertCircle size={18} aria-hidden />}>
            {failure}
          </Alert>
        ) : null}
        {result && placement ? (
          <Stack gap="sm" mt="md" data-testid="rule-test-result">
            <Text size="sm" fw={600}>
              {result.matched.length === 0
                ? "No rule would match."
                : result.matched.length === 1
                  ? `Rule ${result.matched[0]?.position} · ${result.matched[0]?.name} would decide.`
                  : `${result.matched.length} rules would match: ${result.matched.map((m) => m.position).join(", ")}.`}
            </Text>
            <p className={classes.explanation}>{result.explanation}</p>
            <dl
              style={{
                margin: 0,
                display: "grid",
                gridTemplateColumns: "auto 1fr",
                gap: "2px 12px",
                fontSize: 14,
              }}
            >
              <dt>Queue</dt>
              <dd style={{ margin: 0 }}>
                {placement.queueId ? (names.queue(placement.queueId) ?? "…") : "—"}
              </dd>
              <dt>Team</dt>
              <dd style={{ margin: 0 }}>{placement.teamId ? (names.team(placement.teamId) ?? "…") : "—"}</dd>
              <dt>Priority</dt>
              <dd style={{ margin: 0 }}>
                {priorityLabel[placement.priority as keyof typeof priorityLabel] ?? placement.priority}
              </dd>
              <dt>Owner</dt>
              <dd style={{ margin: 0 }}>
                {placement.ownerId
                  ? (names.user(placement.ownerId) ?? "…")
                  : result.assignment?.userId
                    ? `${names.user(result.assignment.userId) ?? "…"} (by the queue)`
                    : "Nobody yet"}
              </dd>
              {placement.tags.length ? (
                <>
                  <dt>Tags</dt>
                  <dd style={{ margin: 0 }}>{placement.tags.join(", ")}</dd>
                </>
              ) : null}
            </dl>
            {result.trace.length > 0 ? (
              <>
                <UnstyledButton
                  onClick={() => setShowTrace((open) => !open)}
                  aria-expanded={showTrace}
                  style={{
                    fontSize: "var(--mantine-font-size-sm)",
                    display: "flex",
                    alignItems: "center",
                    gap: 4,
                  }}
                >
                  {showTrace ? (
                    <IconChevronDown size={14} aria-hidden />
                  ) : (
                    <IconChevronRight size={14} aria-hidden />
                  )}
                  Rule by rule ({result.trace.length} checked)
                </UnstyledButton>
                <Collapse expanded={showTrace}>
                  <ol className={classes.traceList}>
                    {result.trace.map((step) => (
                      <li
                        key={`${step.ruleId}-${step.position}`}
                        className={classes.traceItem}
                        data-matched={step.matched ? "" : undefined}
                      >
                        {step.matched ? (
                          <IconCheck size={16} color="var(--mantine-color-green-7)" aria-label="matched" />
                        ) : (
                          <IconMinus
                            size={16}
                            color="var(--mantine-color-gray-6)"
                            aria-label="did not match"
                          />
                        )}
                        <span>
                          {step.position}. {step.name}
                          <span className={classes.traceWhy}>
                            {step.matched
                              ? [step.reasons.join("; ") || "no conditions", step.actions.join(", ")]
                                  .filter(Boolean)
                                  .join(" → ")
                              : step.failed}
                          </span>
                        </span>
                      </li>
                    ))}
                  </ol>
                </Collapse>
              </>
            ) : null}
          </Stack>
        ) : null}
      </div>
    </section>
  );
}
