import {
  Anchor,
  Button,
  Collapse,
  Group,
  Loader,
  NumberInput,
  Progress,
  Stack,
  Text,
  TextInput,
  UnstyledButton,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import {
  IconChevronDown,
  IconChevronRight,
  IconClockHour4,
  IconReceipt,
  IconTicket,
} from "@tabler/icons-react";
import { type FormEvent, useState } from "react";
import { Link } from "react-router-dom";
import { formErrorsFrom } from "../api/form-errors";
import { canAdminister, useCurrentUser } from "../auth/session";
import { useAnnounce } from "../components/live-region";
import type { TCase } from "../pages/cases/api";
import caseClasses from "../pages/cases/case-screen.module.css";
import { useNow } from "../pages/cases/use-now";
import { useCaseSla, useLogTime, useTimeEntries } from "./api";
import { entitlementAmount, formatAmount, formatDay } from "./entitlement-format";
import classes from "./sla.module.css";
import { SlaCountdownAt } from "./sla-countdown";
import { formatDue, formatTarget, KPIS, kpiLabel, type TSlaClock } from "./sla-format";

/** The case's SLA: each clock, the policy that applies and why, and its history on request. */
export function CaseSlaSection({ item }: { item: TCase }) {
  const now = useNow();
  const user = useCurrentUser();
  const [historyOpen, history] = useDisclosure(false);
  const clocks = [...(item.sla ?? [])].sort((a, b) => KPIS.indexOf(a.kpi) - KPIS.indexOf(b.kpi));
  return (
    <section aria-labelledby="panel-sla" className={classes.section} data-testid="case-sla">
      <div className={caseClasses.panelHeading} id="panel-sla">
        <IconClockHour4 size={13} aria-hidden /> SLA
      </div>
      {item.slaPolicy ? (
        <>
          <ul className={classes.clocks} aria-label="SLA clocks">
            {clocks.map((clock) => (
              <ClockLine key={clock.kpi} clock={clock} now={now} />
            ))}
          </ul>
          <div>
            <Text size="sm">
              <Text span c="dimmed" size="sm">
                Policy{" "}
              </Text>
              <span data-testid="sla-policy-name">{item.slaPolicy.name}</span>
            </Text>
            <Text className={classes.reason}>{sentence(item.slaPolicy.reason)}</Text>
          </div>
        </>
      ) : (
        <Text size="sm" c="dimmed">
          No SLA policy applies to this case.
          {canAdminister(user.role) ? (
            <>
              {" "}
              <Anchor component={Link} to="/admin/sla-policies" size="sm">
                SLA policies
              </Anchor>
            </>
          ) : null}
        </Text>
      )}
      <div>
        <UnstyledButton
          onClick={history.toggle}
          aria-expanded={historyOpen}
          aria-controls="sla-history"
          className={caseClasses.dimmedHelp}
          fz="xs"
        >
          <Group gap={4} wrap="nowrap">
            {historyOpen ? (
              <IconChevronDown size={12} aria-hidden />
            ) : (
              <IconChevronRight size={12} aria-hidden />
            )}
            SLA history
          </Group>
        </UnstyledButton>
        <Collapse expanded={historyOpen} id="sla-history">
          {historyOpen ? <SlaHistory caseId={item.id} /> : null}
        </Collapse>
      </div>
    </section>
  );
}

function ClockLine({ clock, now }: { clock: TSlaClock; now: number }) {
  const met = clock.metAt !== null;
  const late = met && clock.breachedAt !== null;
  return (
    <li className={classes.clock} data-testid={`sla-clock-${clock.kpi}`}>
      <span className={classes.clockName}>{kpiLabel[clock.kpi]}</span>
      <SlaCountdownAt clocks={[clock]} now={now} long tip="none" />
      <span className={classes.clockMeta}>
        {formatTarget(clock.targetMinutes)} business time ·{" "}
        {met && clock.metAt
          ? `${late ? "met late" : "met"} ${formatDue(clock.metAt)}`
          : clock.breachedAt
            ? `breached ${formatDue(clock.breachedAt)}`
            : clock.status === "paused"
              ? "paused"
              : `due ${formatDue(clock.dueAt)}`}
      </span>
    </li>
  );
}

function SlaHistory({ caseId }: { caseId: string }) {
  const detail = useCaseSla(caseId, true);
  if (detail.isPending) return <Loader size="xs" aria-label="Loading SLA history" mt={6} />;
  if (detail.isError) {
    return (
      <Text size="xs" role="alert" mt={6}>
        SLA history could not be loaded: {detail.error.message}
      </Text>
    );
  }
  // The current clocks are listed above; the history is what was replaced, newest first.
  const replaced = detail.data.clocks
    .filter((clock) => clock.supersededAt !== null)
    .sort((a, b) => new Date(b.supersededAt ?? 0).getTime() - new Date(a.supersededAt ?? 0).getTime());
  return (
    <Stack gap={6} mt={6} data-testid="sla-history">
      {detail.data.policy ? (
        <Text size="xs" c="dimmed">
          {detail.data.policy.name} applies since {formatDue(detail.data.policy.evaluatedAt)}.
        </Text>
      ) : null}
      {replaced.length === 0 ? (
        <Text size="xs" c="dimmed">
          No clock has been replaced on this case.
        </Text>
      ) : (
        <ul className={classes.superseded} aria-label="Replaced SLA clocks, newest first">
          {replaced.map((clock) => (
            <li key={clock.id}>
              <strong>{kpiLabel[clock.kpi as TSlaClock["kpi"]] ?? clock.kpi}</strong> ·{" "}
              {formatTarget(clock.targetMinutes)} · started {formatDue(clock.startedAt)}
              {clock.metAt ? ` · met ${formatDue(clock.metAt)}` : ""}
              {clock.breachedAt ? ` · breached ${formatDue(clock.breachedAt)}` : ""}
              <br />
              <Text span size="xs" c="dimmed">
                Replaced {formatDue(clock.supersededAt as string)}
                {clock.supersededReason ? `: ${clock.supersededReason}` : ""}
              </Text>
            </li>
          ))}
        </ul>
      )}
    </Stack>
  );
}

/** The entitlement the case counts against: what is left of it, and any flag for a manager. */
export function CaseEntitlementSection({ item }: { item: TCase }) {
  const ent = item.entitlement;
  return (
    <section aria-labelledby="panel-entitlement" className={classes.section} data-testid="case-entitlement">
      <div className={caseClasses.panelHeading} id="panel-entitlement">
        <IconTicket size={13} aria-hidden /> Entitlement
      </div>
      {!ent ? (
        <Text size="sm" c="dimmed">
          No entitlement covers this case.
        </Text>
      ) : (
        <Stack gap={6}>
          <div className={classes.entHead}>
            <span className={classes.entName}>{ent.name}</span>
            {ent.flag ? (
              <span className={classes.status} data-status={ent.flag}>
                {ent.flag === "exhausted" ? "Exhausted" : "Expired"}
              </span>
            ) : null}
          </div>
          <RemainingBar remaining={ent.remaining} total={ent.total} unit={ent.unit} />
          <Text size="xs" c="dimmed">
            Ends {formatDay(ent.endsOn)}
          </Text>
          {ent.flag ? (
            <div className={classes.flag} data-flag={ent.flag} role="note">
              Came in on an {ent.flag} entitlement — a manager should decide.
            </div>
          ) : null}
        </Stack>
      )}
    </section>
  );
}

/** "3 of 10 cases left" and a bar of what remains. */
export function RemainingBar({
  remaining,
  total,
  unit,
}: {
  remaining: number;
  total: number;
  unit: "cases" | "hours";
}) {
  const share = total > 0 ? Math.max(0, Math.min(1, remaining / total)) : 0;
  const label = `${formatAmount(remaining)} of ${entitlementAmount(total, unit)} left`;
  return (
    <Stack gap={3}>
      <Text size="xs" className={classes.entMeta} c="var(--mantine-color-text)">
        {label}
      </Text>
      <Progress
        value={share * 100}
        size="sm"
        radius="xl"
        color={share === 0 ? "red.8" : share <= 0.25 ? "orange.8" : "keep"}
        aria-label={label}
      />
    </Stack>
  );
}

/** Log time worked on the case (hour-based entitlements are charged from it) and the total. */
export function LogTime({ caseId }: { caseId: string }) {
  const user = useCurrentUser();
  const announce = useAnnounce();
  const entries = useTimeEntries(caseId);
  const log = useLogTime(caseId);
  const [minutes, setMinutes] = useState<number | string>("");
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const mayLog = user.role !== "sales";
  const total = entries.data?.totalMinutes ?? 0;

  function submit(event: FormEvent) {
    event.preventDefault();
    const value = typeof minutes === "number" ? minutes : Number.parseInt(minutes, 10);
    if (!Number.isInteger(value) || value < 1 || value > 1440) {
      setError("Enter whole minutes from 1 to 1440.");
      return;
    }
    setError(null);
    log.mutate(
      { minutes: value, ...(note.trim() ? { note: note.trim() } : {}) },
      {
        onSuccess: () => {
          setMinutes("");
          setNote("");
          announce(`${formatTarget(value)} logged`);
        },
        onError: (failure) => {
          const { fields, form } = formErrorsFrom(failure, ["minutes", "note"] as const);
          setError(fields.minutes ?? fields.note ?? form);
        },
      },
    );
  }

  return (
    <section aria-labelledby="panel-time" className={classes.section} data-testid="case-time">
      <div className={caseClasses.panelHeading} id="panel-time">
        <IconReceipt size={13} aria-hidden /> Time logged
      </div>
      <Text size="sm" data-testid="time-total">
        {entries.isPending ? "…" : total > 0 ? `${formatTarget(total)} in total` : "No time logged yet."}
      </Text>
      {mayLog ? (
        <form onSubmit={submit} aria-label="Log time">
          <Group gap={6} align="flex-start" wrap="nowrap">
            <NumberInput
              size="xs"
              w={92}
              label="Minutes"
              min={1}
              max={1440}
              allowDecimal={false}
              allowNegative={false}
              hideControls
              value={minutes}
              onChange={setMinutes}
              error={error ? true : undefined}
            />
            <TextInput
              size="xs"
              label="Note"
              placeholder="What you did (optional)"
              value={note}
              onChange={(event) => setNote(event.currentTarget.value)}
              maxLength={2000}
              style={{ flex: 1, minWidth: 0 }}
            />
          </Group>
          {error ? (
            <Text size="xs" c="red.8" mt={4} role="alert">
              {error}
            </Text>
          ) : null}
          <Button type="submit" size="compact-sm" variant="default" mt={6} loading={log.isPending}>
            Log time
          </Button>
        </form>
      ) : null}
    </section>
  );
}

function sentence(text: string): string {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}
