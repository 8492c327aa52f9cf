import {
  Anchor,
  Badge,
  Button,
  Drawer,
  Group,
  Loader,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  UnstyledButton,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconMailbox, IconPaperclip } from "@tabler/icons-react";
import { useState } from "react";
import { Link } from "react-router-dom";
import { PageMessage } from "../../components/page";
import classes from "./admin.module.css";
import { AdminFrame } from "./admin-page";
import { formatSize, formatStamp, type TMail, type TMailDetail, useMail, useMailbox } from "./email-api";

const STATUS_COLOR: Record<TMail["status"], string> = { queued: "yellow", sent: "green", failed: "red" };

/**
 * The development mailbox (admin): every mail Keepdesk sent or queued, newest first. Without
 * KEEPDESK_SMTP_URL nothing leaves the server and this is where mail "arrives".
 */
export function DevMailboxPage() {
  const [to, setTo] = useState("");
  const [purpose, setPurpose] = useState("");
  const [filter] = useDebouncedValue({ to, purpose }, 300);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const list = useMailbox(filter, cursor);
  const [openId, setOpenId] = useState<string | null>(null);

  return (
    <AdminFrame title="Development mailbox">
      <p className={classes.lead}>
        Every mail Keepdesk sends — replies, acknowledgements, notifications, invitations — is logged here.
        Without an outbound relay (KEEPDESK_SMTP_URL) nothing leaves the server: this is the mailbox it all
        lands in.
      </p>
      <Group mb="md" align="flex-end">
        <TextInput
          size="xs"
          label="To"
          placeholder="customer@example.com"
          value={to}
          onChange={(e) => {
            setTo(e.currentTarget.value);
            setCursors([null]);
          }}
          w={240}
        />
        <TextInput
          size="xs"
          label="Purpose"
          placeholder="case.reply, case.notification.received …"
          value={purpose}
          onChange={(e) => {
            setPurpose(e.currentTarget.value);
            setCursors([null]);
          }}
          w={280}
        />
      </Group>
      {list.isPending ? (
        <Loader size="sm" aria-label="Loading mail" />
      ) : list.isError ? (
        <Text role="alert">The mailbox could not be loaded: {list.error.message}</Text>
      ) : list.data.items.length === 0 ? (
        <PageMessage icon={IconMailbox} title="No mail yet">
          Mail appears here as soon as Keepdesk sends any: reply to a case, or let a customer write in.
        </PageMessage>
      ) : (
        <>
          <table className={classes.table} aria-label="Sent mail">
            <thead>
              <tr>
                <th scope="col">Subject</th>
                <th scope="col">To</th>
                <th scope="col">Purpose</th>
                <th scope="col">Time</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((mail) => (
                <tr key={mail.id}>
                  <td>
                    <UnstyledButton className={classes.rowLink} onClick={() => setOpenId(mail.id)}>
                      {mail.subject}
                    </UnstyledButton>
                    {mail.attachments.length > 0 ? (
                      <IconPaperclip
                        size={13}
                        aria-label={`${mail.attachments.length} attachments`}
                        style={{ marginLeft: 6 }}
                      />
                    ) : null}
                  </td>
                  <td>{mail.toName ? `${mail.toName} <${mail.to}>` : mail.to}</td>
                  <td className={classes.muted}>{mail.purpose}</td>
                  <td className={classes.muted}>{formatStamp(mail.createdAt)}</td>
                  <td>
                    <Badge size="sm" variant="light" color={STATUS_COLOR[mail.status]}>
                      {mail.transport === "dev" && mail.status === "sent" ? "kept" : mail.status}
                    </Badge>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Group mt="md" gap="xs">
            {cursors.length > 1 ? (
              <Button size="xs" variant="default" onClick={() => setCursors(cursors.slice(0, -1))}>
                Newer
              </Button>
            ) : null}
            {list.data.nextCursor ? (
              <Button
                size="xs"
                variant="default"
                onClick={() => setCursors([...cursors, list.data.nextCursor])}
              >
                Older
              </Button>
            ) : null}
          </Group>
        </>
      )}
      <MailDrawer id={openId} onClose={() => setOpenId(null)} />
    </AdminFrame>
  );
}

function MailDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const mail = useMail(id);
  const [view, setView] = useState<"text" | "html">("text");
  const data = mail.data;
  return (
    <Drawer opened={id !== null} onClose={onClose} position="right" size="xl" title={data?.subject ?? "Mail"}>
      {mail.isPending ? (
        <Loader size="sm" aria-label="Loading the mail" />
      ) : mail.isError ? (
        <Text role="alert">The mail could not be loaded: {mail.error.message}</Text>
      ) : data ? (
        <Stack gap="sm">
          <dl
            className={classes.muted}
            style={{ margin: 0, display: "grid", gridTemplateColumns: "auto 1fr", gap: "2px 12px" }}
          >
            <dt>From</dt>
            <dd style={{ margin: 0 }}>{data.from}</dd>
            <dt>To</dt>
            <dd style={{ margin: 0 }}>{data.toName ? `${data.toName} <${data.to}>` : data.to}</dd>
            <dt>Time</dt>
            <dd style={{ margin: 0 }}>{formatStamp(data.createdAt)}</dd>
            <dt>Purpose</dt>
            <dd style={{ margin: 0 }}>{data.purpose}</dd>
            <dt>Message-ID</dt>
            <dd style={{ margin: 0, wordBreak: "break-all" }}>{data.messageId}</dd>
            {data.inReplyTo ? (
              <>
                <dt>In-Reply-To</dt>
                <dd style={{ margin: 0, wordBreak: "break-all" }}>{data.inReplyTo}</dd>
              </>
            ) : null}
            {Object.entries(data.headers).map(([name, value]) => (
              <Header key={name} name={name} value={value} />
            ))}
            {data.caseId ? (
              <>
                <dt>Case</dt>
                <dd style={{ margin: 0 }}>
                  <Anchor component={Link} to={`/cases/${data.caseId}`} size="xs" onClick={onClose}>
                    Open the case
                  </Anchor>
                </dd>
              </>
            ) : null}
            {data.lastError ? (
              <>
                <dt>Last error</dt>
                <dd style={{ margin: 0, color: "var(--mantine-color-red-7)" }}>{data.lastError}</dd>
              </>
            ) : null}
          </dl>
          {data.html ? (
            <SegmentedControl
              size="xs"
              value={view}
              onChange={(v) => setView(v as "text" | "html")}
              data={[
                { value: "text", label: "Text" },
                { value: "html", label: "HTML" },
              ]}
              aria-label="Show the mail as"
            />
          ) : null}
          {view === "html" && data.html ? (
            <iframe
              title="The mail as HTML"
              sandbox=""
              srcDoc={data.html}
              style={{
                width: "100%",
                minHeight: 420,
                border: "1px solid var(--kd-divider)",
                borderRadius: 6,
                background: "white",
              }}
            />
          ) : (
            <pre
              style={{
                whiteSpace: "pre-wrap",
                margin: 0,
                fontFamily: "inherit",
                fontSize: "var(--mantine-font-size-sm)",
              }}
            >
              {data.text}
            </pre>
          )}
          <Attachments mail={data} />
        </Stack>
      ) : null}
    </Drawer>
  );
}

function Header({ name, value }: { name: string; value: string }) {
  return (
    <>
      <dt>{name}</dt>
      <dd style={{ margin: 0 }}>{value}</dd>
    </>
  );
}

function Attachments({ mail }: { mail: TMailDetail }) {
  if (mail.attachments.length === 0) return null;
  function download(a: TMailDetail["attachments"][number]) {
    const bytes =
      a.encoding === "base64"
        ? Uint8Array.from(atob(a.content), (ch) => ch.charCodeAt(0))
        : new TextEncoder().encode(a.content);
    const url = URL.createObjectURL(new Blob([bytes], { type: "application/octet-stream" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = a.filename;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
  return (
    <div>
      <Text size="sm" fw={600} mb={4}>
        Attachments
      </Text>
      <Stack gap={4}>
        {mail.attachments.map((a) => (
          <Group key={a.filename} gap="xs">
            <IconPaperclip size={14} aria-hidden />
            <Anchor component="button" type="button" size="sm" onClick={() => download(a)}>
              {a.filename}
            </Anchor>
            <Text size="xs" c="dimmed">
              {a.contentType} · {formatSize(a.size)}
            </Text>
          </Group>
        ))}
      </Stack>
    </div>
  );
}
