import {
  Alert,
  Button,
  Group,
  Loader,
  Modal,
  MultiSelect,
  Stack,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { IconAlertCircle, IconCalendarTime, IconSend, IconTestPipe } from "@tabler/icons-react";
import { type FormEvent, useEffect, useMemo, useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { formErrorsFrom, type TFormErrors } from "../../api/form-errors";
import { ApiError } from "../../api/problem";
import { useCurrentUser } from "../../auth/session";
import { Page, PageMessage } from "../../components/page";
import { normalizeSegment, type Segment, SegmentBuilder } from "../../components/segment-builder";
import { Crumbs } from "../../customers/crumbs";
import { languageOptions } from "../../customers/options";
import classes from "./announcements.module.css";
import {
  audienceLine,
  mayEdit,
  maySend,
  type TAnnouncement,
  type TAnnouncementInput,
  useAnnouncement,
  useAnnouncementMutations,
  useAudience,
  useMailPreview,
} from "./api";
import { MailPreview } from "./parts";

const FIELDS = ["subject", "body", "segment", "languages", "scheduledFor"] as const;
type TField = (typeof FIELDS)[number];
const NO_ERRORS: TFormErrors<TField> = { fields: {}, form: null };

const STARTER = `We are glad to tell you about something new.

## What it is
Describe the new service in a few lines.

- What it does for {{account}}
- When it starts
- What it costs, if anything

Reply to this mail with any question.`;

/** Compose (or edit) an announcement: the mail with a live preview, the audience with a live count. */
export function ComposePage() {
  const { id } = useParams();
  const existing = useAnnouncement(id);
  if (!id) return <ComposeForm />;
  if (existing.isPending)
    return (
      <Page title="Loading announcement…">
        <Loader size="sm" aria-label="Loading" />
      </Page>
    );
  if (existing.isError || !existing.data) {
    const gone = existing.error instanceof ApiError && existing.error.status === 404;
    return (
      <Page title={gone ? "Announcement not found" : "Announcement unavailable"}>
        <PageMessage
          icon={IconAlertCircle}
          title={gone ? "There's no announcement here" : "It couldn't be loaded"}
          action={
            <Button component={Link} to="/announcements" variant="light" mt="xs">
              Back to announcements
            </Button>
          }
        >
          {gone ? "It may have been deleted." : (existing.error?.message ?? "Something went wrong.")}
        </PageMessage>
      </Page>
    );
  }
  return <ComposeForm key={existing.data.id} existing={existing.data} />;
}

function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function ComposeForm({ existing }: { existing?: TAnnouncement }) {
  const user = useCurrentUser();
  const navigate = useNavigate();
  const m = useAnnouncementMutations();
  const [savedId, setSavedId] = useState<string | undefined>(existing?.id);
  const [subject, setSubject] = useState(existing?.subject ?? "");
  const [body, setBody] = useState(existing?.body ?? STARTER);
  const [segment, setSegment] = useState<Segment>((existing?.segment as Segment | undefined) ?? {});
  const [languages, setLanguages] = useState<string[]>(existing?.languages ?? []);
  const [errors, setErrors] = useState<TFormErrors<TField>>(NO_ERRORS);
  const [dirty, setDirty] = useState(!existing);
  const [confirmSend, setConfirmSend] = useState(false);
  const [scheduling, setScheduling] = useState(false);
  const [when, setWhen] = useState(() =>
    toLocalInput(new Date(Date.now() + 24 * 3_600_000).toISOString().slice(0, 14).concat("00:00.000Z")),
  );
  const [busy, setBusy] = useState<null | "save" | "test" | "send">(null);

  const canSend = maySend(user.role);
  const editable = !existing || mayEdit(existing, user);
  const normalized = useMemo(() => normalizeSegment(segment), [segment]);
  const [debouncedAudience] = useDebouncedValue({ segment: normalized, languages }, 300);
  const audience = useAudience(debouncedAudience.segment, debouncedAudience.languages);
  const [debouncedMail] = useDebouncedValue({ subject, body }, 300);
  const preview = useMailPreview(debouncedMail.subject, debouncedMail.body);
  const langOptions = useMemo(() => {
    const base = languageOptions();
    const extra = languages
      .filter((l) => !base.some((o) => o.value === l))
      .map((l) => ({ value: l, label: l }));
    return [...extra, ...base];
  }, [languages]);

  useEffect(() => {
    if (existing && !editable) navigate(`/announcements/${existing.id}`, { replace: true });
  }, [existing, editable, navigate]);

  const touch =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setDirty(true);
    };

  const input = (): TAnnouncementInput => ({ subject: subject.trim(), body, segment: normalized, languages });

  function check(): boolean {
    const fields: Partial<Record<TField, string>> = {};
    if (!subject.trim()) fields.subject = "Write a subject: it is the first thing they read.";
    if (!body.trim()) fields.body = "Write what you want to tell them.";
    setErrors({ fields, form: null });
    return Object.keys(fields).length === 0;
  }

  /** Saves (creates the first time) and answers the id. */
  async function save(): Promise<string | null> {
    if (!check()) return null;
    try {
      if (!savedId) {
        const created = await m.create.mutateAsync(input());
        setSavedId(created.id);
        setDirty(false);
        return created.id;
      }
      if (dirty) await m.update.mutateAsync({ id: savedId, ...input() });
      setDirty(false);
      return savedId;
    } catch (e) {
      setErrors(
        formErrorsFrom(e, FIELDS, {
          hints: { languages: "Use language codes like en, de or pt-BR." },
        }),
      );
      return null;
    }
  }

  async function run(kind: "save" | "test" | "send", work: (id: string) => Promise<void>) {
    setBusy(kind);
    try {
      const wasNew = !savedId;
      const id = await save();
      if (id) await work(id);
      // The address of a new draft becomes its own once the work is done (a reload finds it).
      if (id && wasNew && kind !== "send") navigate(`/announcements/${id}/edit`, { replace: true });
    } catch (e) {
      setErrors(formErrorsFrom(e, FIELDS));
    } finally {
      setBusy(null);
    }
  }

  function onSave(event: FormEvent) {
    event.preventDefault();
    void run("save", async () => {
      notifications.show({ color: "teal", message: "Draft saved" });
    });
  }

  function onTest() {
    void run("test", async (id) => {
      const r = await m.test.mutateAsync({ id });
      notifications.show({ color: "teal", title: "Test copy sent", message: `To ${r.to}` });
    });
  }

  function onSend(scheduledFor?: string) {
    void run("send", async (id) => {
      await m.send.mutateAsync(scheduledFor ? { id, scheduledFor } : { id });
      setConfirmSend(false);
      setScheduling(false);
      notifications.show({
        color: "teal",
        message: scheduledFor ? "Announcement scheduled" : "Sending: follow it here",
      });
      navigate(`/announcements/${id}`);
    });
  }

  function onSchedule() {
    const at = new Date(when);
    if (Number.isNaN(at.getTime()) || at.getTime() <= Date.now()) {
      setErrors({ fields: { scheduledFor: "Choose a time in the future." }, form: null });
      return;
    }
    onSend(at.toISOString());
  }

  const a = audience.data;
  const nobody = a !== undefined && a.contacts === 0;
  const title = existing ? "Edit announcement" : "New announcement";

  return (
    <Page
      title={title}
      above={
        <Crumbs
          trail={[
            { label: "Announcements", to: "/announcements" },
            ...(existing ? [{ label: existing.subject, to: `/announcements/${existing.id}` }] : []),
          ]}
        />
      }
    >
      <div className={classes.layout}>
        <form onSubmit={onSave} noValidate aria-label={title}>
          <Stack gap="md">
            {errors.form ? (
              <Alert color="red" role="alert" icon={<IconAlertCircle size={18} aria-hidden />}>
                {errors.form}
              </Alert>
            ) : null}
            {existing?.status === "scheduled" ? (
              <Alert color="blue" variant="light">
                Scheduled for {new Date(existing.scheduledFor ?? "").toLocaleString()}. Changes you save go
                out then.
              </Alert>
            ) : null}
            <TextInput
              label="Subject"
              required
              maxLength={200}
              value={subject}
              onChange={(e) => touch(setSubject)(e.currentTarget.value)}
              error={errors.fields.subject}
              data-testid="announcement-subject"
              placeholder="Introducing 24/7 phone support"
            />
            <Textarea
              label="Message"
              required
              autosize
              minRows={10}
              maxRows={24}
              maxLength={20_000}
              value={body}
              onChange={(e) => touch(setBody)(e.currentTarget.value)}
              error={errors.fields.body}
              description="Starts “Hello <name>,” and ends with an unsubscribe link. A blank line starts a paragraph; “- ” a list item; “## ” a heading; **bold**, [text](https://…). {{firstName}} and {{account}} are filled in per contact."
              data-testid="announcement-body"
            />
            <SegmentBuilder value={segment} onChange={touch(setSegment)} label="Who gets it" />
            {errors.fields.segment ? (
              <Text c="red" size="sm" role="alert">
                {errors.fields.segment}
              </Text>
            ) : null}
            <MultiSelect
              label="Only contacts who speak"
              description="Leave empty for every language"
              placeholder={languages.length === 0 ? "Any language" : undefined}
              data={langOptions}
              value={languages}
              onChange={touch(setLanguages)}
              searchable
              clearable
              error={errors.fields.languages}
              maxValues={50}
            />
            <div
              className={`${classes.audience} ${nobody ? classes.audienceWarn : ""}`}
              role="status"
              aria-live="polite"
              data-testid="audience-count"
            >
              {a ? audienceLine(a) : "Counting…"}
              {audience.isFetching ? <Loader size={12} ml={8} aria-hidden /> : null}
              {a ? (
                <Text size="xs" c="dimmed" fw={400} mt={2}>
                  {a.segmentDescription === "every account"
                    ? "Every account"
                    : `Accounts: ${a.segmentDescription}`}
                  {languages.length > 0 ? ` · contacts speaking ${languages.join(", ")}` : ""}. The list is
                  fixed when sending starts.
                </Text>
              ) : null}
            </div>
            <div className={classes.actions}>
              <Button type="submit" variant="default" loading={busy === "save"} disabled={!editable}>
                {savedId ? (dirty ? "Save draft" : "Saved") : "Save draft"}
              </Button>
              <Button
                variant="default"
                leftSection={<IconTestPipe size={16} aria-hidden />}
                onClick={onTest}
                loading={busy === "test"}
              >
                Send me a test
              </Button>
              {canSend ? (
                <>
                  <Button
                    leftSection={<IconSend size={16} aria-hidden />}
                    onClick={() => check() && setConfirmSend(true)}
                    disabled={nobody}
                    data-testid="send-now"
                  >
                    Send now…
                  </Button>
                  <Button
                    variant="light"
                    leftSection={<IconCalendarTime size={16} aria-hidden />}
                    onClick={() => check() && setScheduling(true)}
                    disabled={nobody}
                  >
                    Schedule…
                  </Button>
                </>
              ) : (
                <Text size="sm" c="dimmed">
                  An admin or manager sends it: save the draft and tell them.
                </Text>
              )}
            </div>
          </Stack>
        </form>
        <MailPreview
          preview={preview.data}
          loading={preview.isFetching}
          to={`${user.name} (you, as a sample contact at Acme Corporation)`}
        />
      </div>

      <Modal
        opened={confirmSend}
        onClose={() => setConfirmSend(false)}
        title="Send this announcement now?"
        radius="lg"
        centered
      >
        <Stack gap="md">
          <Text lh={1.55}>
            “{subject.trim()}” goes to{" "}
            <strong>{a ? audienceLine(a).replace(/^Will reach /, "") : "…"}</strong>. Opted-out contacts are
            skipped. This can't be undone.
          </Text>
          {errors.form ? (
            <Alert color="red" role="alert">
              {errors.form}
            </Alert>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmSend(false)} data-autofocus>
              Not yet
            </Button>
            <Button onClick={() => onSend()} loading={busy === "send"} data-testid="confirm-send">
              Send to {a ? a.contacts.toLocaleString() : "…"} contacts
            </Button>
          </Group>
        </Stack>
      </Modal>

      <Modal
        opened={scheduling}
        onClose={() => setScheduling(false)}
        title="Schedule the announcement"
        radius="lg"
        centered
      >
        <Stack gap="md">
          <TextInput
            type="datetime-local"
            label="Send at (your time)"
            value={when}
            onChange={(e) => setWhen(e.currentTarget.value)}
            error={errors.fields.scheduledFor}
            required
            data-autofocus
          />
          <Text size="sm" c="dimmed">
            The recipient list is fixed at that time: contacts who join or opt out before then are counted
            then.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setScheduling(false)}>
              Cancel
            </Button>
            <Button onClick={onSchedule} loading={busy === "send"}>
              Schedule
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Page>
  );
}
