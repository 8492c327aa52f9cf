import { Alert, Anchor, Button, Group, Modal, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { ApiError } from "../api/problem";
import { usePageTitle } from "../components/use-page-title";
import classes from "./portal.module.css";
import {
  formatWhen,
  type TPortalCase,
  useCallback,
  useEscalate,
  usePortalCase,
  usePortalMe,
  usePortalThread,
  useReply,
} from "./portal-api";
import { StatusBadge } from "./status-badge";

/** One request: status, the public thread, reply, call me back, ask for a manager. */
export function PortalCasePage() {
  const { id = "" } = useParams();
  const c = usePortalCase(id);
  const thread = usePortalThread(id);
  usePageTitle(c.data ? `${c.data.number} ${c.data.subject}` : "Request");
  const [dialog, setDialog] = useState<null | "callback" | "escalate">(null);
  const [done, setDone] = useState<string | null>(null);

  if (c.isError) {
    return (
      <Stack>
        <Alert color="red" role="alert" title="Not found">
          {c.error instanceof ApiError && c.error.status === 404
            ? "There is no such request, or it belongs to someone else."
            : c.error.message}
        </Alert>
        <Anchor component={Link} to="/portal">
          Back to your requests
        </Anchor>
      </Stack>
    );
  }
  if (!c.data) return <Text role="status">Loading…</Text>;
  const data = c.data;

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/portal" fz={14}>
        ← Your requests
      </Anchor>
      <div className={classes.card}>
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap={8}>
          <Title order={1} fz={22} style={{ overflowWrap: "anywhere" }}>
            {data.subject}
          </Title>
          <StatusBadge c={data} />
        </Group>
        <div className={classes.meta}>
          {data.number} · opened {formatWhen(data.createdAt)}
        </div>
        {data.expectedReplyBy ? (
          <Text fz={15} mt={6} data-testid="expected-reply">
            We aim to answer by <strong>{formatWhen(data.expectedReplyBy)}</strong>.
          </Text>
        ) : null}
        {data.state === "waiting_on_you" ? (
          <Text fz={15} mt={6}>
            We are waiting for your answer below.
          </Text>
        ) : null}
        {data.escalated ? (
          <Text fz={15} mt={6}>
            A manager has been asked to look at this.
          </Text>
        ) : null}
      </div>

      {done ? (
        <Alert color="green" role="status" withCloseButton onClose={() => setDone(null)}>
          {done}
        </Alert>
      ) : null}

      <section aria-labelledby="thread-title">
        <Title id="thread-title" order={2} fz={18} mb={8}>
          Conversation
        </Title>
        <ol className={classes.thread} aria-busy={thread.isPending} data-testid="portal-thread">
          {data.description ? (
            <li className={`${classes.message} ${data.contactName === "You" ? classes.fromYou : ""}`}>
              <Text fz={13} fw={600}>
                {data.contactName ?? "Your team"} · {formatWhen(data.createdAt)}
              </Text>
              <div className={classes.body}>{data.description}</div>
            </li>
          ) : null}
          {thread.data?.items.map((m) => (
            <li
              key={m.id}
              className={`${classes.message} ${m.fromYou ? classes.fromYou : classes.fromSupport}`}
            >
              <Text fz={13} fw={600}>
                {m.authorName} · {formatWhen(m.createdAt)}
              </Text>
              <div className={classes.body}>{m.body}</div>
              {m.attachments.length > 0 ? (
                <ul>
                  {m.attachments.map((a) => (
                    <li key={a.id}>
                      <a href={`/api/v1/portal/attachments/${a.id}`}>{a.filename}</a>
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      </section>

      <ReplyForm c={data} />

      <div className={classes.actions}>
        <Button variant="default" size="md" onClick={() => setDialog("callback")}>
          Call me back
        </Button>
        <Button
          variant="default"
          size="md"
          onClick={() => setDialog("escalate")}
          disabled={data.escalated || data.state === "resolved"}
        >
          Ask for a manager
        </Button>
      </div>

      <CallbackDialog
        opened={dialog === "callback"}
        caseId={data.id}
        onClose={() => setDialog(null)}
        onDone={(text) => {
          setDialog(null);
          setDone(text);
        }}
      />
      <EscalateDialog
        opened={dialog === "escalate"}
        caseId={data.id}
        onClose={() => setDialog(null)}
        onDone={(text) => {
          setDialog(null);
          setDone(text);
        }}
      />
    </Stack>
  );
}

function ReplyForm({ c }: { c: TPortalCase }) {
  const reply = useReply(c.id);
  const [body, setBody] = useState("");
  const [error, setError] = useState<string | null>(null);
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!body.trim()) {
      setError("Write your message first.");
      return;
    }
    setError(null);
    reply.mutate(body.trim(), {
      onSuccess: () => setBody(""),
      onError: (e) => setError(e instanceof ApiError ? (e.fieldErrors().body ?? e.message) : "Not sent."),
    });
  }
  return (
    <form onSubmit={onSubmit} noValidate className={classes.card} aria-labelledby="reply-title">
      <Stack gap="sm">
        <Title id="reply-title" order={2} fz={18}>
          {c.state === "resolved" ? "Not solved after all? Write to us" : "Reply"}
        </Title>
        <Textarea
          label="Your message"
          size="md"
          autosize
          minRows={3}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          error={error}
        />
        <Group justify="flex-end">
          <Button type="submit" size="md" loading={reply.isPending}>
            Send reply
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

const pad = (n: number) => String(n).padStart(2, "0");
const localDate = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

function CallbackDialog(props: {
  opened: boolean;
  caseId: string;
  onClose(): void;
  onDone(text: string): void;
}) {
  const me = usePortalMe();
  const callback = useCallback(props.caseId);
  const start = new Date(Date.now() + 3600_000);
  start.setMinutes(0, 0, 0);
  const [date, setDate] = useState(localDate(start));
  const [from, setFrom] = useState(`${pad(start.getHours())}:00`);
  const [to, setTo] = useState(`${pad((start.getHours() + 2) % 24)}:00`);
  const [phone, setPhone] = useState(me.data?.contact.phone ?? "");
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const fromAt = new Date(`${date}T${from}`);
    const toAt = new Date(`${date}T${to}`);
    if (Number.isNaN(fromAt.getTime()) || Number.isNaN(toAt.getTime())) {
      setErrors({ from: "Pick a day and times." });
      return;
    }
    setErrors({});
    callback.mutate(
      {
        from: fromAt.toISOString(),
        to: toAt.toISOString(),
        ...(phone.trim() ? { phone: phone.trim() } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      },
      {
        onSuccess: (r) =>
          props.onDone(`Thank you. We will call you between ${formatWhen(r.from)} and ${formatWhen(r.to)}.`),
        onError: (e) => setErrors(e instanceof ApiError ? { from: e.message, ...e.fieldErrors() } : {}),
      },
    );
  }

  return (
    <Modal opened={props.opened} onClose={props.onClose} title="Call me back" fullScreen={false} size="md">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <Text fz={14} c="dimmed">
            Pick a time that suits you (your local time). The person handling your request will call.
          </Text>
          <TextInput
            label="Day"
            type="date"
            size="md"
            value={date}
            onChange={(e) => setDate(e.currentTarget.value)}
          />
          <Group grow>
            <TextInput
              label="From"
              type="time"
              size="md"
              value={from}
              onChange={(e) => setFrom(e.currentTarget.value)}
              error={errors.from}
            />
            <TextInput
              label="Until"
              type="time"
              size="md"
              value={to}
              onChange={(e) => setTo(e.currentTarget.value)}
              error={errors.to}
            />
          </Group>
          <TextInput
            label="Phone number"
            type="tel"
            autoComplete="tel"
            size="md"
            value={phone}
            onChange={(e) => setPhone(e.currentTarget.value)}
            error={errors.phone}
          />
          <Textarea
            label="Anything we should know? (optional)"
            size="md"
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={callback.isPending}>
              Request the call
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function EscalateDialog(props: {
  opened: boolean;
  caseId: string;
  onClose(): void;
  onDone(text: string): void;
}) {
  const escalate = useEscalate(props.caseId);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!reason.trim()) {
      setError("Tell us why, so the manager can act on it.");
      return;
    }
    escalate.mutate(reason.trim(), {
      onSuccess: () => {
        setReason("");
        props.onDone("A manager has been told and will look at your request.");
      },
      onError: (e) => setError(e instanceof ApiError ? (e.fieldErrors().reason ?? e.message) : "Not sent."),
    });
  }
  return (
    <Modal opened={props.opened} onClose={props.onClose} title="Ask for a manager" size="md">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <Textarea
            label="Why do you need a manager?"
            size="md"
            autosize
            minRows={3}
            maxLength={2000}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={error}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={escalate.isPending}>
              Ask for a manager
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
