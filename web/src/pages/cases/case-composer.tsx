import {
  Alert,
  Button,
  CloseButton,
  FileButton,
  Group,
  Kbd,
  Text,
  Textarea,
  Tooltip,
  VisuallyHidden,
} from "@mantine/core";
import {
  IconAlertCircle,
  IconLock,
  IconMessage,
  IconPaperclip,
  IconPlayerTrackNext,
} from "@tabler/icons-react";
import { type ReactNode, type Ref, useEffect, useImperativeHandle, useRef, useState } from "react";
import { formatBytes } from "./case-format";
import classes from "./case-screen.module.css";

export type TComposerTab = "reply" | "note";
export type TComposerHandle = { focus: (tab: TComposerTab) => void; hasDraft: () => boolean };
export type TSendIntent = "send" | "sendNext" | "resolveNext";

const MAX_FILES = 5;
const MAX_FILE_BYTES = 10 * 1024 * 1024;
const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);
export const SEND_KEYS = isMac ? "⌘ Enter" : "Ctrl Enter";

function draftKey(caseId: string, tab: TComposerTab): string {
  return `keepdesk:draft:${caseId}:${tab}`;
}

function readDraft(caseId: string, tab: TComposerTab): string {
  try {
    return window.localStorage.getItem(draftKey(caseId, tab)) ?? "";
  } catch {
    return "";
  }
}

function writeDraft(caseId: string, tab: TComposerTab, text: string): void {
  try {
    if (text) window.localStorage.setItem(draftKey(caseId, tab), text);
    else window.localStorage.removeItem(draftKey(caseId, tab));
  } catch {
    // Storage full or blocked: the draft lives on in the page until it is sent.
  }
}

/**
 * One composer, two tabs: Reply (to the customer) and Note (internal, yellow). Each tab keeps
 * its own draft per case in this browser, saved as it is typed, so a reload never loses a
 * reply. Ctrl/⌘+Enter sends.
 */
export function CaseComposer({
  caseId,
  disabled,
  disabledReason,
  busy,
  error,
  canResolve,
  hasNext,
  onSend,
  onDraftChange,
  ref,
}: {
  caseId: string;
  disabled?: boolean;
  disabledReason?: string;
  busy: boolean;
  error: string | null;
  canResolve: boolean;
  hasNext: boolean;
  /** Resolves true when sent: the composer then clears the draft. */
  onSend: (input: {
    kind: TComposerTab;
    body: string;
    files: File[];
    intent: TSendIntent;
  }) => Promise<boolean>;
  onDraftChange?: (hasDraft: boolean) => void;
  ref?: Ref<TComposerHandle>;
}) {
  const [tab, setTab] = useState<TComposerTab>("reply");
  const [drafts, setDrafts] = useState<Record<TComposerTab, string>>(() => ({
    reply: readDraft(caseId, "reply"),
    note: readDraft(caseId, "note"),
  }));
  const [files, setFiles] = useState<File[]>([]);
  const [fileError, setFileError] = useState<string | null>(null);
  const textareas = useRef<Record<TComposerTab, HTMLTextAreaElement | null>>({ reply: null, note: null });
  const saveTimer = useRef<number | undefined>(undefined);

  // Another case: its own drafts.
  useEffect(() => {
    setDrafts({ reply: readDraft(caseId, "reply"), note: readDraft(caseId, "note") });
    setFiles([]);
    setFileError(null);
    setTab(readDraft(caseId, "note") && !readDraft(caseId, "reply") ? "note" : "reply");
  }, [caseId]);

  const text = drafts[tab];
  const hasDraft = Boolean(text.trim()) || files.length > 0;
  useEffect(() => onDraftChange?.(hasDraft), [hasDraft, onDraftChange]);

  useImperativeHandle(ref, () => ({
    focus: (next) => {
      setTab(next);
      window.setTimeout(() => textareas.current[next]?.focus(), 0);
    },
    hasDraft: () => hasDraft,
  }));

  function change(next: string) {
    setDrafts((current) => ({ ...current, [tab]: next }));
    window.clearTimeout(saveTimer.current);
    const forTab = tab;
    saveTimer.current = window.setTimeout(() => writeDraft(caseId, forTab, next), 300);
  }

  useEffect(() => () => window.clearTimeout(saveTimer.current), []);

  function addFiles(picked: File[]) {
    setFileError(null);
    const tooBig = picked.find((file) => file.size > MAX_FILE_BYTES);
    if (tooBig) {
      setFileError(`${tooBig.name} is ${formatBytes(tooBig.size)}; files may be at most 10 MB.`);
      return;
    }
    const next = [...files, ...picked];
    if (next.length > MAX_FILES) {
      setFileError(`At most ${MAX_FILES} files per message.`);
      return;
    }
    setFiles(next);
  }

  async function send(intent: TSendIntent) {
    const body = text.trim();
    if (!body && intent !== "resolveNext") return;
    if (!body && files.length > 0) {
      setFileError("Write a few words to go with the files.");
      return;
    }
    const sent = await onSend({ kind: tab, body, files, intent });
    if (sent) {
      window.clearTimeout(saveTimer.current);
      writeDraft(caseId, tab, "");
      setDrafts((current) => ({ ...current, [tab]: "" }));
      setFiles([]);
    }
  }

  const isNote = tab === "note";
  const sendLabel = isNote ? "Add note" : "Send reply";

  return (
    <section className={classes.composer} data-tab={tab} aria-label="Composer">
      <div className={classes.composerTabs} role="tablist" aria-label="Write a">
        <ComposerTab
          id="reply"
          current={tab}
          onSelect={setTab}
          icon={<IconMessage size={14} aria-hidden />}
          label="Reply"
          shortcut="R"
          dirty={Boolean(drafts.reply.trim())}
        />
        <ComposerTab
          id="note"
          current={tab}
          onSelect={setTab}
          icon={<IconLock size={14} aria-hidden />}
          label="Note"
          shortcut="N"
          dirty={Boolean(drafts.note.trim())}
        />
        {isNote ? (
          <span className={classes.internalLabel}>
            <IconLock size={12} stroke={2.2} aria-hidden /> Internal · only your team sees notes
          </span>
        ) : null}
      </div>
      {(["reply", "note"] as const).map((id) => (
        <div
          key={id}
          role="tabpanel"
          id={`composer-panel-${id}`}
          aria-labelledby={`composer-tab-${id}`}
          hidden={tab !== id}
          className={classes.composerPanel}
        >
          <Textarea
            ref={(node) => {
              textareas.current[id] = node;
            }}
            aria-label={id === "note" ? "Internal note" : "Reply to the customer"}
            placeholder={
              disabled
                ? disabledReason
                : id === "note"
                  ? "Write an internal note — the customer never sees it…"
                  : "Write a reply to the customer…"
            }
            value={drafts[id]}
            onChange={(event) => change(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter" && (event.metaKey || event.ctrlKey) && !event.altKey) {
                event.preventDefault();
                void send("send");
              }
            }}
            autosize
            minRows={3}
            maxRows={14}
            disabled={disabled}
            variant="unstyled"
            classNames={{ input: classes.composerInput }}
            data-testid={`composer-${id}`}
          />
        </div>
      ))}
      {files.length > 0 ? (
        <ul className={classes.composerFiles} aria-label="Files to send">
          {files.map((file, index) => (
            <li key={`${file.name}-${file.size}-${file.lastModified}`} className={classes.composerFile}>
              <IconPaperclip size={13} aria-hidden />
              <span className={classes.attachmentName}>{file.name}</span>
              <Text span size="xs" c="dimmed">
                {formatBytes(file.size)}
              </Text>
              <CloseButton
                size={24}
                aria-label={`Remove ${file.name}`}
                onClick={() => setFiles((current) => current.filter((_, position) => position !== index))}
              />
            </li>
          ))}
        </ul>
      ) : null}
      {fileError || error ? (
        <Alert
          color="red"
          variant="light"
          role="alert"
          icon={<IconAlertCircle size={16} aria-hidden />}
          className={classes.composerAlert}
          p={8}
        >
          {fileError ?? error}
        </Alert>
      ) : null}
      <div className={classes.composerFooter}>
        <FileButton onChange={addFiles} multiple disabled={disabled || busy}>
          {(props) => (
            <Tooltip label="Attach files (up to 5, 10 MB each)">
              <Button
                {...props}
                variant="subtle"
                color="gray"
                size="compact-sm"
                leftSection={<IconPaperclip size={15} aria-hidden />}
              >
                Attach
              </Button>
            </Tooltip>
          )}
        </FileButton>
        <Group gap={6} ml="auto" wrap="nowrap">
          {canResolve ? (
            <Tooltip
              label={
                <Group gap={6} wrap="nowrap">
                  <span>
                    {hasDraft ? "Send, resolve and open the next case" : "Resolve and open the next case"}
                  </span>
                  <Kbd size="xs">⇧ E</Kbd>
                </Group>
              }
            >
              <Button
                variant="default"
                size="compact-sm"
                onClick={() => void send("resolveNext")}
                disabled={disabled || busy}
                aria-keyshortcuts="Shift+E"
              >
                {hasDraft ? "Send & resolve" : "Resolve"}
                {hasNext ? " & next" : ""}
              </Button>
            </Tooltip>
          ) : null}
          {hasNext ? (
            <Button
              variant="default"
              size="compact-sm"
              rightSection={<IconPlayerTrackNext size={13} aria-hidden />}
              onClick={() => void send("sendNext")}
              disabled={disabled || busy || !text.trim()}
            >
              Send & next
            </Button>
          ) : null}
          <Tooltip label={<Kbd size="xs">{SEND_KEYS}</Kbd>}>
            <Button
              size="compact-sm"
              color={isNote ? "yellow.8" : undefined}
              onClick={() => void send("send")}
              loading={busy}
              disabled={disabled || !text.trim()}
              aria-keyshortcuts={isMac ? "Meta+Enter" : "Control+Enter"}
              data-testid="composer-send"
              px={12}
            >
              {sendLabel}
            </Button>
          </Tooltip>
        </Group>
      </div>
    </section>
  );
}

function ComposerTab({
  id,
  current,
  onSelect,
  icon,
  label,
  shortcut,
  dirty,
}: {
  id: TComposerTab;
  current: TComposerTab;
  onSelect: (tab: TComposerTab) => void;
  icon: ReactNode;
  label: string;
  shortcut: string;
  dirty: boolean;
}) {
  const selected = id === current;
  return (
    <button
      type="button"
      role="tab"
      id={`composer-tab-${id}`}
      aria-selected={selected}
      aria-controls={`composer-panel-${id}`}
      tabIndex={selected ? 0 : -1}
      className={classes.composerTab}
      data-tab={id}
      onClick={() => onSelect(id)}
      onKeyDown={(event) => {
        if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
          event.preventDefault();
          const next = id === "reply" ? "note" : "reply";
          onSelect(next);
          document.getElementById(`composer-tab-${next}`)?.focus();
        }
      }}
      aria-keyshortcuts={shortcut}
    >
      {icon}
      {label}
      {dirty ? (
        <span className={classes.draftDot} title="Draft saved">
          <VisuallyHidden>(draft saved)</VisuallyHidden>
        </span>
      ) : null}
      <Kbd size="xs" className={classes.tabKbd} aria-hidden>
        {shortcut}
      </Kbd>
    </button>
  );
}
