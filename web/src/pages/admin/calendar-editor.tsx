import {
  ActionIcon,
  Alert,
  Button,
  Group,
  Loader,
  Select,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertCircle, IconCalendarOff, IconPlus, IconTrash, IconX } from "@tabler/icons-react";
import { type FormEvent, useEffect, useMemo, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { formErrorsFrom } from "../../api/form-errors";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { useAnnounce } from "../../components/live-region";
import { PageMessage } from "../../components/page";
import { Crumbs } from "../../customers/crumbs";
import { viewerTimeZone } from "../../customers/format";
import { timeZoneOptions } from "../../customers/options";
import {
  type TCalendar,
  type TWeekday,
  useCalendars,
  useDeleteCalendar,
  useSaveCalendar,
} from "../../sla/api";
import { formatDay } from "../../sla/entitlement-format";
import { formatTarget } from "../../sla/sla-format";
import classes from "./admin.module.css";
import { AdminFrame } from "./admin-page";
import {
  aroundTheClock,
  capital,
  dayLabel,
  dayMinutes,
  emptyWeek,
  intervalProblem,
  minutesOf,
  normalizeTime,
  officeHours,
  problemsByPath,
  type THours,
  type TInterval,
  WEEKDAYS,
  weekMinutes,
} from "./calendar-model";

const FIELDS = ["name", "timeZone", "hours", "holidays"] as const;

/** /admin/calendars/new and /admin/calendars/:id */
export function CalendarEditorPage() {
  const { id } = useParams();
  const { byId, isPending, isError, error } = useCalendars();
  const crumbs = <Crumbs trail={[{ label: "Business calendars", to: "/admin/calendars" }]} />;
  if (!id) return <CalendarEditor calendar={null} />;
  if (isPending) {
    return (
      <AdminFrame title="Calendar" above={crumbs}>
        <Loader size="sm" aria-label="Loading calendar" />
      </AdminFrame>
    );
  }
  const calendar = byId.get(id);
  if (!calendar) {
    return (
      <AdminFrame title="Calendar not found" above={crumbs}>
        <PageMessage
          icon={IconCalendarOff}
          title={isError ? "Calendars could not be loaded" : "There's no calendar here"}
          action={
            <Button component={Link} to="/admin/calendars" variant="light" mt="xs">
              All calendars
            </Button>
          }
        >
          {isError ? error.message : "It may have been deleted, or the link is mistyped."}
        </PageMessage>
      </AdminFrame>
    );
  }
  return <CalendarEditor key={calendar.id} calendar={calendar} />;
}

function copyHours(hours: THours): THours {
  return Object.fromEntries(WEEKDAYS.map((day) => [day, hours[day].map(([a, b]) => [a, b])])) as THours;
}

/** Local checks: a time that is not HH:MM, an end not after its start. The server checks overlaps. */
function localProblems(hours: THours, holidays: readonly string[]): Map<string, string> {
  const problems = new Map<string, string>();
  for (const day of WEEKDAYS) {
    hours[day].forEach(([start, end], index) => {
      const a = minutesOf(start);
      const b = minutesOf(end);
      if (a === null || a >= 24 * 60)
        problems.set(`/hours/${day}/${index}/0`, "must be a time such as 09:00");
      if (b === null) problems.set(`/hours/${day}/${index}/1`, "must be a time such as 17:00, or 24:00");
      if (a !== null && b !== null && b <= a)
        problems.set(`/hours/${day}/${index}/1`, "must be after the start");
    });
  }
  holidays.forEach((holiday, index) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(holiday)) problems.set(`/holidays/${index}`, "must be a date");
  });
  return problems;
}

function nextInterval(intervals: readonly TInterval[]): TInterval | null {
  if (intervals.length === 0) return ["09:00", "17:00"];
  const ends = intervals.map(([, end]) => minutesOf(end) ?? 0);
  const lastEnd = Math.max(...ends);
  if (lastEnd >= 24 * 60 - 30) return null;
  const start = Math.min(lastEnd + 60, 24 * 60 - 60);
  const end = Math.min(start + 120, 24 * 60);
  const hhmm = (minutes: number) =>
    `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
  return [hhmm(start), hhmm(end)];
}

function CalendarEditor({ calendar }: { calendar: TCalendar | null }) {
  const navigate = useNavigate();
  const announce = useAnnounce();
  const save = useSaveCalendar(calendar?.id ?? null);
  const remove = useDeleteCalendar();
  const [name, setName] = useState(calendar?.name ?? "");
  const [timeZone, setTimeZone] = useState<string | null>(calendar?.timeZone ?? viewerTimeZone());
  const [hours, setHours] = useState<THours>(() => (calendar ? copyHours(calendar.hours) : officeHours()));
  const [holidays, setHolidays] = useState<string[]>(calendar?.holidays ?? []);
  const [newHoliday, setNewHoliday] = useState("");
  const [problems, setProblems] = useState<Map<string, string>>(new Map());
  const [fields, setFields] = useState<Partial<Record<(typeof FIELDS)[number], string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const [errorTick, setErrorTick] = useState(0);
  const zones = useMemo(() => timeZoneOptions(timeZone), [timeZone]);

  useEffect(() => {
    if (errorTick === 0) return;
    const target =
      formRef.current?.querySelector<HTMLElement>("[aria-invalid='true']") ??
      formRef.current?.querySelector<HTMLElement>("[role='alert']");
    target?.focus();
  }, [errorTick]);

  function setDay(day: TWeekday, intervals: TInterval[]) {
    setHours((current) => ({ ...current, [day]: intervals }));
  }

  function setTime(day: TWeekday, index: number, side: 0 | 1, value: string) {
    setHours((current) => ({
      ...current,
      [day]: current[day].map((interval, at) => {
        if (at !== index) return interval;
        const next: TInterval = [interval[0], interval[1]];
        next[side] = value;
        return next;
      }),
    }));
  }

  function addHoliday() {
    if (!newHoliday) return;
    if (!holidays.includes(newHoliday)) setHolidays([...holidays, newHoliday].sort());
    setNewHoliday("");
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    setFields({});
    const local = localProblems(hours, holidays);
    const localFields: typeof fields = {};
    if (!name.trim()) localFields.name = "Give the calendar a name, such as “Support hours London”.";
    if (!timeZone) localFields.timeZone = "Choose the time zone the hours are in.";
    if (local.size > 0 || Object.keys(localFields).length > 0) {
      setProblems(local);
      setFields(localFields);
      setErrorTick((tick) => tick + 1);
      return;
    }
    setProblems(new Map());
    save.mutate(
      { name: name.trim(), timeZone: timeZone as string, hours, holidays },
      {
        onSuccess: (saved) => {
          notifications.show({ color: "green", message: `Calendar ${saved.name} saved` });
          announce(`Calendar ${saved.name} saved`);
          navigate("/admin/calendars");
        },
        onError: (error) => {
          const byPath = problemsByPath(error);
          const split = formErrorsFrom(error, FIELDS, {
            hints: { timeZone: "Choose a time zone from the list." },
          });
          setProblems(byPath);
          // The grid and the holiday list show their own lines; the top of each shows the rest.
          setFields({
            name: split.fields.name,
            timeZone: split.fields.timeZone,
            hours: byPath.get("/hours") ? capital(byPath.get("/hours") as string) : undefined,
            holidays: byPath.get("/holidays") ? capital(byPath.get("/holidays") as string) : undefined,
          });
          const hasField = byPath.size > 0;
          setFormError(split.form ?? (hasField ? null : "The calendar could not be saved."));
          setErrorTick((tick) => tick + 1);
        },
      },
    );
  }

  const total = weekMinutes(hours);
  const crumbs = <Crumbs trail={[{ label: "Business calendars", to: "/admin/calendars" }]} />;

  return (
    <AdminFrame
      title={calendar ? calendar.name : "New calendar"}
      above={crumbs}
      actions={
        calendar ? (
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
          <Group align="flex-start" grow>
            <TextInput
              label="Name"
              placeholder="Support hours London"
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              error={fields.name}
              required
              maxLength={200}
              data-autofocus
            />
            <Select
              label="Time zone"
              description="The working hours are wall-clock times in this zone"
              searchable
              data={zones}
              value={timeZone}
              onChange={setTimeZone}
              error={fields.timeZone}
              required
              nothingFoundMessage="No such time zone"
              limit={50}
            />
          </Group>

          <section className={classes.card} aria-labelledby="hours-title">
            <Group justify="space-between" align="flex-start" mb="xs">
              <div>
                <h2 className={classes.cardTitle} id="hours-title">
                  Working hours
                </h2>
                <Text size="xs" c="dimmed">
                  {total > 0 ? `${formatTarget(total)} a week.` : "No working time yet."} A day with no
                  interval is closed; 24:00 ends a day.
                </Text>
              </div>
              <Group gap={6}>
                <Button size="compact-sm" variant="default" onClick={() => setHours(officeHours())}>
                  Mon–Fri 9–17
                </Button>
                <Button size="compact-sm" variant="default" onClick={() => setHours(aroundTheClock())}>
                  24×7
                </Button>
                <Button size="compact-sm" variant="subtle" color="gray" onClick={() => setHours(emptyWeek())}>
                  Clear
                </Button>
              </Group>
            </Group>
            {fields.hours ? (
              <Text size="sm" c="red.8" role="alert" mb="xs" data-testid="hours-error">
                {fields.hours}
              </Text>
            ) : null}
            <ul className={classes.week} aria-label="Working hours by weekday">
              {WEEKDAYS.map((day) => {
                const intervals = hours[day];
                const next = nextInterval(intervals);
                return (
                  <li key={day} className={classes.day} data-testid={`day-${day}`}>
                    <div className={classes.dayName}>
                      {dayLabel[day]}
                      {dayMinutes(intervals) > 0 ? (
                        <span className={classes.dayTotal}>{formatTarget(dayMinutes(intervals))}</span>
                      ) : null}
                    </div>
                    <div className={classes.intervals}>
                      {intervals.length === 0 ? <span className={classes.closed}>Closed</span> : null}
                      {intervals.map(([start, end], index) => {
                        const problem = intervalProblem(problems, day, index);
                        const label = `${dayLabel[day]}, interval ${index + 1}`;
                        return (
                          // biome-ignore lint/suspicious/noArrayIndexKey: intervals have no identity beyond their place.
                          <fieldset key={index} className={classes.interval} aria-label={label}>
                            <TextInput
                              size="xs"
                              className={classes.timeInput}
                              aria-label={`${label} start`}
                              value={start}
                              placeholder="09:00"
                              inputMode="numeric"
                              maxLength={5}
                              onChange={(event) => setTime(day, index, 0, event.currentTarget.value)}
                              onBlur={(event) =>
                                setTime(day, index, 0, normalizeTime(event.currentTarget.value))
                              }
                              error={
                                problems.has(`/hours/${day}/${index}/0`) ||
                                problems.has(`/hours/${day}/${index}`)
                              }
                            />
                            <span aria-hidden>–</span>
                            <TextInput
                              size="xs"
                              className={classes.timeInput}
                              aria-label={`${label} end`}
                              value={end}
                              placeholder="17:00"
                              inputMode="numeric"
                              maxLength={5}
                              onChange={(event) => setTime(day, index, 1, event.currentTarget.value)}
                              onBlur={(event) =>
                                setTime(day, index, 1, normalizeTime(event.currentTarget.value))
                              }
                              error={
                                problems.has(`/hours/${day}/${index}/1`) ||
                                problems.has(`/hours/${day}/${index}`)
                              }
                            />
                            <Tooltip label="Remove this interval">
                              <ActionIcon
                                variant="subtle"
                                color="gray"
                                size={26}
                                onClick={() =>
                                  setDay(
                                    day,
                                    intervals.filter((_, at) => at !== index),
                                  )
                                }
                                aria-label={`Remove ${label}`}
                              >
                                <IconX size={14} aria-hidden />
                              </ActionIcon>
                            </Tooltip>
                            {problem ? (
                              <span className={classes.fieldError} role="alert">
                                {problem}
                              </span>
                            ) : null}
                          </fieldset>
                        );
                      })}
                    </div>
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      leftSection={<IconPlus size={12} aria-hidden />}
                      disabled={!next}
                      onClick={() => next && setDay(day, [...intervals, next])}
                      aria-label={`Add an interval on ${dayLabel[day]}`}
                    >
                      Add
                    </Button>
                  </li>
                );
              })}
            </ul>
            {hours.mon.length > 0 ? (
              <Button
                mt="xs"
                size="compact-xs"
                variant="subtle"
                color="gray"
                onClick={() =>
                  setHours((current) => {
                    const copy = copyHours(current);
                    for (const day of ["tue", "wed", "thu", "fri"] as const) {
                      copy[day] = current.mon.map(([a, b]) => [a, b]);
                    }
                    return copy;
                  })
                }
              >
                Copy Monday to Tuesday–Friday
              </Button>
            ) : null}
          </section>

          <section className={classes.card} aria-labelledby="holidays-title">
            <h2 className={classes.cardTitle} id="holidays-title">
              Holidays
            </h2>
            <Text size="xs" c="dimmed" mb="sm">
              Whole days off, in the calendar's time zone. Clocks do not count on them.
            </Text>
            {fields.holidays ? (
              <Text size="sm" c="red.8" role="alert" mb="xs">
                {fields.holidays}
              </Text>
            ) : null}
            {holidays.length > 0 ? (
              <ul className={classes.holidays} aria-label="Holidays">
                {holidays.map((holiday, index) => {
                  const problem = problems.get(`/holidays/${index}`);
                  return (
                    <li key={holiday} className={classes.holiday} data-invalid={problem ? "" : undefined}>
                      <time dateTime={holiday} title={problem ? capital(problem) : holiday}>
                        {formatDay(holiday)}
                      </time>
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        size={24}
                        radius="xl"
                        onClick={() => setHolidays(holidays.filter((item) => item !== holiday))}
                        aria-label={`Remove holiday ${formatDay(holiday)}`}
                      >
                        <IconX size={12} aria-hidden />
                      </ActionIcon>
                    </li>
                  );
                })}
              </ul>
            ) : (
              <Text size="sm" c="dimmed">
                No holidays.
              </Text>
            )}
            <Group gap={6} mt="sm" align="flex-end">
              <TextInput
                type="date"
                size="xs"
                label="Add a holiday"
                value={newHoliday}
                onChange={(event) => setNewHoliday(event.currentTarget.value)}
                onKeyDown={(event) => {
                  if (event.key === "Enter") {
                    event.preventDefault();
                    addHoliday();
                  }
                }}
              />
              <Button size="xs" variant="default" onClick={addHoliday} disabled={!newHoliday}>
                Add holiday
              </Button>
            </Group>
          </section>

          <Group justify="flex-end" gap="sm">
            <Button component={Link} to="/admin/calendars" variant="default">
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {calendar ? "Save calendar" : "Create calendar"}
            </Button>
          </Group>
        </Stack>
      </form>
      {calendar ? (
        <ConfirmDialog
          opened={confirming}
          onClose={() => setConfirming(false)}
          onConfirm={() =>
            remove.mutate(calendar.id, {
              onSuccess: () => {
                notifications.show({ color: "gray", message: `Calendar ${calendar.name} deleted` });
                announce(`Calendar ${calendar.name} deleted`);
                navigate("/admin/calendars", { replace: true });
              },
            })
          }
          title={`Delete ${calendar.name}?`}
          confirmLabel="Delete calendar"
          busy={remove.isPending}
          error={remove.error ? remove.error.message : null}
        >
          A calendar that an SLA policy counts in cannot be deleted; change those policies first.
        </ConfirmDialog>
      ) : null}
    </AdminFrame>
  );
}
