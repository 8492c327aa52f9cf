import {
  Alert,
  Anchor,
  Button,
  Drawer,
  Group,
  Kbd,
  Loader,
  Modal,
  Stack,
  TagsInput,
  Text,
  Tooltip,
} from "@mantine/core";
import { useDisclosure, useLocalStorage } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import {
  IconAlertTriangle,
  IconArrowDown,
  IconArrowLeft,
  IconCircleCheck,
  IconGitMerge,
  IconLayoutSidebarRight,
  IconRotateClockwise,
  IconSearchOff,
} from "@tabler/icons-react";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { CaseActivityBar } from "../../activities/case-activity-bar";
import { ApiError } from "../../api/problem";
import { useCurrentUser } from "../../auth/session";
import { CaseIncidents } from "../../components/case-incidents";
import {
  isEditableTarget,
  type TShortcut,
  useKeyboardShortcuts,
  useSingleKeyShortcutsSetting,
} from "../../components/keyboard-shortcuts";
import { useAnnounce } from "../../components/live-region";
import { PageMessage } from "../../components/page";
import { usePageTitle } from "../../components/use-page-title";
import { useStaffUsers } from "../../customers/api";
import { KeyBadge } from "../../customers/badges";
import { type TLiveEvent, useLiveEvent } from "../../live/live-updates";
import { SlaCountdown } from "../../sla/sla-countdown";
import {
  prefetchCase,
  type TCasePatch,
  useCase,
  useCaseHistory,
  useCaseMessages,
  useCaseStatuses,
  useQueues,
  useSendMessage,
  useTeams,
  useUpdateCase,
} from "./api";
import { CaseComposer, type TComposerHandle, type TComposerTab, type TSendIntent } from "./case-composer";
import { PRIORITIES, PriorityIcon, priorityLabel, StatusIcon, statusLabelOf } from "./case-format";
import { CasePanel, type TPanelTab } from "./case-panel";
import classes from "./case-screen.module.css";
import { CaseThread } from "./case-thread";
import { isFloatingOpen } from "./floating";
import type { THistoryContext } from "./history-format";
import { OwnerAvatar } from "./owner-avatar";
import { Picker, type TPickerHandle, type TPickerOption } from "./picker";
import { nextCaseId, queuePath, rememberQueue } from "./queue-memory";
import { useAccountsById, useContactsById } from "./use-customers";

const NONE = "__none";
// Events that are "something happened on this case" for the new-updates banner.
const UPDATE_EVENTS = new Set([
  "case.updated",
  "case.status_changed",
  "case.assigned",
  "case.priority_changed",
  "case.merged",
  "message.added",
]);
/** How long after this tab's own change its echo from the live stream is still "ours". */
const OWN_ECHO_MS = 2500;

type TProblemExtras = {
  openChildren?: { id: string; number: string; subject: string; status: string }[];
  allowed?: string[];
};

function problemMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return "Keepdesk can't be reached. Check your connection; nothing was saved.";
    return error.problem?.detail ?? error.problem?.title ?? error.message;
  }
  return "Something went wrong. Try again.";
}

/** One case: header with its properties, the thread, the composer and the context panel. */
export function CasePage() {
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = useCurrentUser();
  const announce = useAnnounce();
  const [singleKeys] = useSingleKeyShortcutsSetting();

  const query = useCase(id);
  const item = query.data;
  const messages = useCaseMessages(id);
  const history = useCaseHistory(id);
  const { byKey: statusByKey } = useCaseStatuses();
  const { queues, byId: queueById } = useQueues();
  const teams = useTeams();
  const staff = useStaffUsers();
  const accounts = useAccountsById(useMemo(() => [item?.accountId], [item?.accountId]));
  const contacts = useContactsById(useMemo(() => [item?.contactId], [item?.contactId]));
  const account = item?.accountId ? accounts.get(item.accountId) : undefined;
  const contact = item?.contactId ? contacts.get(item.contactId) : undefined;
  const update = useUpdateCase(statusByKey);
  const send = useSendMessage(id);

  usePageTitle(item ? `${item.number} ${item.subject}` : "Case");

  const [panelTab, setPanelTab] = useLocalStorage<TPanelTab>({
    key: "keepdesk:case-panel-tab",
    defaultValue: "properties",
    getInitialValueInEffect: false,
  });
  const [detailsOpened, details] = useDisclosure(false);
  const composer = useRef<TComposerHandle>(null);
  const statusPicker = useRef<TPickerHandle>(null);
  const priorityPicker = useRef<TPickerHandle>(null);
  const ownerPicker = useRef<TPickerHandle>(null);
  const tagsInput = useRef<HTMLInputElement>(null);
  const threadRef = useRef<HTMLDivElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [sendError, setSendError] = useState<string | null>(null);
  const [childrenPrompt, setChildrenPrompt] = useState<{
    target: { id: string; number: string };
    patch: TCasePatch;
    children: NonNullable<TProblemExtras["openChildren"]>;
  } | null>(null);
  const [guard, setGuard] = useState<{ count: number; decide: (send: boolean) => void } | null>(null);

  // ---- who changed what: this tab's own changes echo back from the stream ----
  const ownUntil = useRef(0);
  const markOwn = useCallback(() => {
    ownUntil.current = Date.now() + OWN_ECHO_MS + 10_000;
  }, []);
  const settleOwn = useCallback(() => {
    ownUntil.current = Date.now() + OWN_ECHO_MS;
  }, []);

  // ---- the "N new updates" banner (collision guard, layer 2) ----
  const [unseen, setUnseen] = useState(0);
  const hasDraft = useRef(false);
  const lastCounted = useRef<{ actor: string | null; at: number } | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: another case starts with a clean slate.
  useEffect(() => {
    setUnseen(0);
    setSendError(null);
    lastCounted.current = null;
  }, [id]);

  const onLiveEvent = useCallback(
    (event: TLiveEvent) => {
      if (event.entityId !== id || !UPDATE_EVENTS.has(event.type)) return;
      if (event.actorId === me.id && Date.now() < ownUntil.current) return;
      // One save sends several events (updated, status_changed, …): count it once.
      const at = Date.now();
      const last = lastCounted.current;
      if (last && last.actor === event.actorId && at - last.at < 1500) return;
      lastCounted.current = { actor: event.actorId, at };
      if (hasDraft.current) {
        setUnseen((count) => {
          announce(`${count + 1} new ${count + 1 === 1 ? "update" : "updates"} on this case`);
          return count + 1;
        });
      } else if (event.type === "message.added") {
        announce("New message on this case");
      } else {
        announce("This case was updated");
      }
    },
    [id, me.id, announce],
  );
  useLiveEvent(onLiveEvent);

  const onDraftChange = useCallback((draft: boolean) => {
    hasDraft.current = draft;
    if (!draft) setUnseen(0);
  }, []);

  // ---- the thread follows new messages when the reader is at the bottom ----
  const messageCount = (messages.data?.length ?? 0) + (history.data?.pages[0]?.items.length ?? 0);
  const stuckToBottom = useRef(true);
  const scrolledCase = useRef<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the thread grows (messageCount).
  useLayoutEffect(() => {
    const node = threadRef.current;
    if (!node || !item || messages.isPending) return;
    if (scrolledCase.current !== id) {
      scrolledCase.current = id;
      node.scrollTop = node.scrollHeight;
      return;
    }
    if (stuckToBottom.current) node.scrollTo({ top: node.scrollHeight, behavior: "smooth" });
  }, [id, item, messageCount, messages.isPending]);

  const showUpdates = useCallback(() => {
    const node = threadRef.current;
    node?.scrollTo({ top: node.scrollHeight, behavior: "smooth" });
    setUnseen(0);
  }, []);

  // Opening a case (from the list, or "next") puts keyboard focus at its start, not on <body>.
  const focusedCase = useRef<string | null>(null);
  useEffect(() => {
    if (!item || focusedCase.current === item.id) return;
    focusedCase.current = item.id;
    const active = document.activeElement;
    if (!active || active === document.body || !active.isConnected)
      headingRef.current?.focus({ preventScroll: true });
  }, [item]);

  // ---- next case ----
  const nextId = nextCaseId(id);
  useEffect(() => {
    window.scrollTo(0, 0);
    if (nextId) prefetchCase(queryClient, nextId);
  }, [nextId, queryClient]);

  const goNext = useCallback(() => {
    const next = nextCaseId(id);
    if (next) {
      rememberQueue({ activeId: next });
      navigate(`/cases/${next}`);
    } else {
      navigate(queuePath());
      notifications.show({ message: "That was the last case in the list.", color: "gray" });
      announce("That was the last case in the list");
    }
  }, [id, navigate, announce]);

  const goBack = useCallback(() => {
    rememberQueue({ activeId: id });
    navigate(queuePath());
  }, [id, navigate]);

  // ---- changes (optimistic) ----
  const changeCase = useCallback(
    (target: { id: string; number: string }, patch: TCasePatch, done: string, then?: () => void) => {
      markOwn();
      update.mutate(
        { id: target.id, patch },
        {
          onSuccess: (updated) => {
            announce(done);
            if (updated.id !== target.id) {
              notifications.show({
                title: "Follow-up case opened",
                message: `${target.number} was resolved too long ago to reopen, so ${updated.number} continues it.`,
                color: "blue",
              });
              navigate(`/cases/${updated.id}`);
            }
          },
          onError: (error) => {
            const extras = (error instanceof ApiError ? error.problem : null) as TProblemExtras | null;
            if (error instanceof ApiError && error.status === 422 && extras?.openChildren?.length) {
              setChildrenPrompt({ target, patch, children: extras.openChildren });
              return;
            }
            notifications.show({
              title: `${target.number}: change not saved`,
              message: problemMessage(error),
              color: "red",
              autoClose: 8000,
            });
            announce(`Change not saved: ${problemMessage(error)}`);
          },
          onSettled: settleOwn,
        },
      );
      then?.();
    },
    [update, announce, navigate, markOwn, settleOwn],
  );

  const change = useCallback(
    (patch: TCasePatch, done: string, then?: () => void) => {
      if (item) changeCase({ id: item.id, number: item.number }, patch, done, then);
    },
    [item, changeCase],
  );

  const allowedStatuses = item ? (statusByKey.get(item.status)?.transitions ?? []) : [];
  const canResolve = Boolean(
    item && item.statusCategory !== "resolved" && allowedStatuses.includes("resolved"),
  );

  const resolve = useCallback(
    (then?: () => void) => {
      if (!item) return;
      if (!canResolve) {
        const message =
          item.statusCategory === "resolved"
            ? `${item.number} is already ${statusLabelOf(item.status, statusByKey).toLowerCase()}.`
            : `${item.number} cannot be resolved from ${statusLabelOf(item.status, statusByKey)}.`;
        notifications.show({ message, color: "gray" });
        announce(message);
        then?.();
        return;
      }
      change({ status: "resolved" }, `${item.number} resolved`, then);
    },
    [item, canResolve, change, statusByKey, announce],
  );

  // ---- sending (with the collision guard, layer 3) ----
  const confirmUnseen = useCallback(
    () =>
      new Promise<boolean>((resolvePromise) => {
        setGuard({
          count: unseen,
          decide: (ok) => {
            setGuard(null);
            resolvePromise(ok);
          },
        });
      }),
    [unseen],
  );

  const onSend = useCallback(
    async ({
      kind,
      body,
      files,
      intent,
    }: {
      kind: TComposerTab;
      body: string;
      files: File[];
      intent: TSendIntent;
    }) => {
      if (!item) return false;
      setSendError(null);
      if (body && unseen > 0) {
        const ok = await confirmUnseen();
        if (!ok) {
          showUpdates();
          return false;
        }
      }
      if (body) {
        markOwn();
        try {
          const message = await send.mutateAsync({ kind, body, files });
          announce(kind === "note" ? "Note added" : "Reply sent");
          setUnseen(0);
          stuckToBottom.current = true;
          if (message.caseId !== item.id) {
            notifications.show({
              title: "Sent to a follow-up case",
              message: `${item.number} was closed too long ago; the message started a follow-up case.`,
              color: "blue",
            });
          }
        } catch (error) {
          setSendError(problemMessage(error));
          announce(`Not sent: ${problemMessage(error)}`);
          return false;
        } finally {
          settleOwn();
        }
      }
      if (intent === "resolveNext") resolve(goNext);
      else if (intent === "sendNext") goNext();
      return true;
    },
    [item, unseen, confirmUnseen, showUpdates, markOwn, settleOwn, send, announce, resolve, goNext],
  );

  // ---- keyboard ----
  const shortcuts = useMemo<TShortcut[]>(() => {
    const whenFree = (run: () => void) => () => {
      // A picker's list is open: its keys are its own.
      if (isFloatingOpen()) return;
      run();
    };
    return [
      { keys: ["r"], run: whenFree(() => composer.current?.focus("reply")) },
      { keys: ["n"], run: whenFree(() => composer.current?.focus("note")) },
      { keys: ["e"], run: whenFree(() => resolve()) },
      { keys: ["a"], run: whenFree(() => ownerPicker.current?.open()) },
      { keys: ["s"], run: whenFree(() => statusPicker.current?.open()) },
      { keys: ["p"], run: whenFree(() => priorityPicker.current?.open()) },
      { keys: ["l"], run: whenFree(() => tagsInput.current?.focus()) },
    ];
  }, [resolve]);
  useKeyboardShortcuts(shortcuts, singleKeys);

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.metaKey || event.altKey)
        return;
      const blocked = isFloatingOpen();
      if (event.key === "Escape") {
        if (blocked) return;
        if (isEditableTarget(event.target)) {
          (event.target as HTMLElement).blur();
          return;
        }
        event.preventDefault();
        goBack();
        return;
      }
      // ⇧E: resolve and go to the next case (a single key with Shift, so it obeys the setting).
      if (event.key === "E" && event.shiftKey && singleKeys && !blocked && !isEditableTarget(event.target)) {
        event.preventDefault();
        resolve(goNext);
      }
    }
    // Capture: decide before an open list or dialog handles (and closes on) the same Esc.
    document.addEventListener("keydown", onKeyDown, true);
    return () => document.removeEventListener("keydown", onKeyDown, true);
  }, [goBack, goNext, resolve, singleKeys]);

  // ---- rendering ----
  const ctx: THistoryContext = useMemo(
    () => ({ statuses: statusByKey, users: staff.byId, queues: queueById, teams: teams.byId, meId: me.id }),
    [statusByKey, staff.byId, queueById, teams.byId, me.id],
  );

  if (query.isError && !item) {
    const notFound = query.error instanceof ApiError && query.error.status === 404;
    return (
      <div className={classes.messageWrap}>
        <PageMessage
          icon={IconSearchOff}
          title={notFound ? "Case not found" : "This case could not be loaded"}
          action={
            <Button component={Link} to={queuePath()} variant="default" size="xs">
              Back to the inbox
            </Button>
          }
        >
          {notFound ? "It may have been deleted, or the link is mistyped." : problemMessage(query.error)}
        </PageMessage>
      </div>
    );
  }

  if (!item) {
    return (
      <div className={classes.messageWrap}>
        <Loader size="sm" aria-label="Loading case" />
      </div>
    );
  }

  const merged = Boolean(item.mergedIntoId);
  const statusOptions: TPickerOption[] = [
    item.status,
    ...allowedStatuses.filter((key) => key !== item.status),
  ].map((key) => ({
    value: key,
    label: statusLabelOf(key, statusByKey),
    icon: <StatusIcon status={key} meta={statusByKey.get(key)} size={15} />,
  }));
  const priorityOptions: TPickerOption[] = PRIORITIES.map((priority) => ({
    value: priority,
    label: priorityLabel[priority],
    icon: <PriorityIcon priority={priority} size={15} />,
  }));
  const activeUsers = staff.users.filter((user) => user.active || user.id === item.ownerId);
  const ownerOptions: TPickerOption[] = [
    { value: NONE, label: "Unassigned" },
    ...activeUsers
      .filter((user) => user.id === me.id)
      .map((user) => ({
        value: user.id,
        label: user.name,
        hint: "you",
        icon: <OwnerAvatar name={user.name} size={18} />,
      })),
    ...activeUsers
      .filter((user) => user.id !== me.id)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((user) => ({
        value: user.id,
        label: user.active ? user.name : `${user.name} (deactivated)`,
        icon: <OwnerAvatar name={user.name} size={18} />,
      })),
  ];
  const owner = item.ownerId ? staff.byId.get(item.ownerId) : undefined;
  const queueOptions: TPickerOption[] = queues.map((queue) => ({ value: queue.id, label: queue.name }));

  const panel = (
    <CasePanel
      item={item}
      account={account}
      contact={contact}
      ctx={ctx}
      tab={panelTab}
      onTab={setPanelTab}
      queueOptions={queueOptions}
      onQueue={(queueId) =>
        change({ queueId }, `Queue ${queueId ? (queueById.get(queueId)?.name ?? "") : "cleared"}`)
      }
    />
  );

  return (
    <div className={classes.screen}>
      <header className={classes.header}>
        <div className={classes.crumbs}>
          <Tooltip
            label={
              <Group gap={6} wrap="nowrap">
                Back to the list <Kbd size="xs">Esc</Kbd>
              </Group>
            }
          >
            <Button
              component={Link}
              to={queuePath()}
              onClick={() => rememberQueue({ activeId: id })}
              variant="subtle"
              color="gray"
              size="compact-sm"
              leftSection={<IconArrowLeft size={15} aria-hidden />}
              aria-keyshortcuts="Escape"
            >
              Inbox
            </Button>
          </Tooltip>
          <span className={classes.crumbSep} aria-hidden>
            /
          </span>
          <span className={classes.number} data-testid="case-number">
            {item.number}
          </span>
          {contact || account ? (
            <Text span size="sm" c="dimmed" className={classes.crumbCustomer}>
              {contact?.name}
              {contact && account ? " · " : ""}
              {account?.name}
              {account?.tier === "key" ? (
                <>
                  {" "}
                  <KeyBadge />
                </>
              ) : null}
            </Text>
          ) : null}
          <Group gap={6} ml="auto" wrap="nowrap">
            {nextId ? (
              <Button variant="subtle" color="gray" size="compact-sm" onClick={goNext}>
                Next case
              </Button>
            ) : null}
            <Button
              variant="default"
              size="compact-sm"
              hiddenFrom="md"
              leftSection={<IconLayoutSidebarRight size={15} aria-hidden />}
              onClick={details.open}
            >
              Details
            </Button>
          </Group>
        </div>
        <h1 className={classes.subject} ref={headingRef} tabIndex={-1}>
          {item.subject}
        </h1>
        <div className={classes.properties}>
          <Picker
            ref={statusPicker}
            label="Status"
            shortcut="S"
            value={item.status}
            options={statusOptions}
            onChange={(status) => change({ status }, `Status ${statusLabelOf(status, statusByKey)}`)}
            disabled={merged}
            testId="case-status"
          />
          <Picker
            ref={priorityPicker}
            label="Priority"
            shortcut="P"
            value={item.priority}
            options={priorityOptions}
            onChange={(priority) =>
              change(
                { priority: priority as (typeof PRIORITIES)[number] },
                `Priority ${priorityLabel[priority as (typeof PRIORITIES)[number]]}`,
              )
            }
            disabled={merged}
            testId="case-priority"
          />
          <Picker
            ref={ownerPicker}
            label="Owner"
            shortcut="A"
            searchable
            value={item.ownerId ?? NONE}
            options={ownerOptions}
            onChange={(value) => {
              const ownerId = value === NONE ? null : value;
              const name =
                ownerId === me.id ? "you" : ownerId ? (staff.byId.get(ownerId)?.name ?? "") : "nobody";
              change({ ownerId }, `Assigned to ${name}`);
            }}
            disabled={merged}
            display={
              owner ? (
                <>
                  <OwnerAvatar name={owner.name} size={18} />
                  <span className={classes.pickerText}>
                    {owner.id === me.id ? `${owner.name} (you)` : owner.name}
                  </span>
                </>
              ) : (
                <span className={classes.pickerTextDim}>Unassigned</span>
              )
            }
            testId="case-owner"
          />
          {item.ownerId !== me.id && !merged ? (
            <Button
              variant="subtle"
              size="compact-xs"
              onClick={() => change({ ownerId: me.id }, "Assigned to you")}
            >
              Assign to me
            </Button>
          ) : null}
          {item.sla?.length ? <SlaCountdown clocks={item.sla} size="md" withKpi long /> : null}
          <TagsInput
            ref={tagsInput}
            aria-label="Tags (L)"
            aria-keyshortcuts="L"
            placeholder={item.tags.length ? "" : "Add tags… (L)"}
            value={item.tags}
            onChange={(next) => {
              const normalized = next.map((tag) => tag.trim().toLowerCase()).filter(Boolean);
              const addTags = normalized.filter((tag) => !item.tags.includes(tag));
              const removeTags = item.tags.filter((tag) => !normalized.includes(tag));
              if (addTags.length || removeTags.length) {
                change(
                  { ...(addTags.length ? { addTags } : {}), ...(removeTags.length ? { removeTags } : {}) },
                  addTags.length ? `Tag ${addTags.join(", ")} added` : `Tag ${removeTags.join(", ")} removed`,
                );
              }
            }}
            size="xs"
            maxTags={50}
            disabled={merged}
            className={classes.tags}
            classNames={{ input: classes.tagsInput }}
            data-testid="case-tags"
          />
          <CaseActivityBar item={item} contact={contact} disabled={merged} />
          {item.statusCategory === "resolved" ? (
            <Button
              className={classes.resolveButton}
              variant="default"
              size="compact-sm"
              leftSection={<IconRotateClockwise size={15} aria-hidden />}
              onClick={() => change({ status: "open" }, `${item.number} reopened`)}
              disabled={merged || !allowedStatuses.includes("open")}
            >
              Reopen
            </Button>
          ) : (
            <Tooltip
              label={
                <Group gap={6} wrap="nowrap">
                  Resolve <Kbd size="xs">E</Kbd> · and next <Kbd size="xs">⇧ E</Kbd>
                </Group>
              }
            >
              <Button
                className={classes.resolveButton}
                variant="light"
                color="green"
                size="compact-sm"
                leftSection={<IconCircleCheck size={15} aria-hidden />}
                onClick={() => resolve()}
                disabled={!canResolve}
                aria-keyshortcuts="E"
              >
                Resolve
              </Button>
            </Tooltip>
          )}
        </div>
      </header>

      <div className={classes.body}>
        <div className={classes.conversation}>
          <div
            className={classes.threadScroll}
            ref={threadRef}
            onScroll={(event) => {
              const node = event.currentTarget;
              stuckToBottom.current = node.scrollHeight - node.scrollTop - node.clientHeight < 80;
            }}
          >
            {merged ? (
              <Alert
                color="gray"
                variant="light"
                icon={<IconGitMerge size={16} aria-hidden />}
                className={classes.mergedAlert}
              >
                This case was merged; it takes no more messages or changes.{" "}
                <Anchor component={Link} to={`/cases/${item.mergedIntoId}`} size="sm">
                  Open the case it went into
                </Anchor>
              </Alert>
            ) : null}
            <CaseIncidents caseId={item.id} />
            {messages.isPending ? (
              <div className={classes.threadEmpty}>
                <Loader size="sm" aria-label="Loading conversation" />
              </div>
            ) : messages.isError ? (
              <Alert color="red" variant="light" role="alert" m="md">
                The conversation could not be loaded: {problemMessage(messages.error)}
              </Alert>
            ) : (
              <CaseThread
                item={item}
                messages={messages.data}
                history={history.data?.pages.flatMap((page) => page.items) ?? []}
                contact={contact}
                ctx={ctx}
              />
            )}
          </div>
          {unseen > 0 ? (
            <div className={classes.updatesBanner} role="status">
              <IconAlertTriangle size={15} aria-hidden />
              <span>
                {unseen} new {unseen === 1 ? "update" : "updates"} since you started writing
              </span>
              <Button
                size="compact-xs"
                variant="white"
                rightSection={<IconArrowDown size={13} aria-hidden />}
                onClick={showUpdates}
              >
                Show
              </Button>
            </div>
          ) : null}
          <CaseComposer
            ref={composer}
            caseId={item.id}
            disabled={merged}
            disabledReason="A merged case takes no more messages."
            busy={send.isPending}
            error={sendError}
            canResolve={canResolve}
            hasNext={Boolean(nextId)}
            onSend={onSend}
            onDraftChange={onDraftChange}
          />
        </div>
        <aside className={classes.panel} aria-label="Case details">
          {panel}
        </aside>
      </div>

      <Drawer
        opened={detailsOpened}
        onClose={details.close}
        position="right"
        size="min(420px, 92vw)"
        title={`${item.number} details`}
        hiddenFrom="md"
      >
        {panel}
      </Drawer>

      <Modal
        opened={guard !== null}
        onClose={() => guard?.decide(false)}
        title="New activity on this case"
        centered
        radius="lg"
      >
        <Stack gap="md">
          <Text size="sm" lh={1.55}>
            {guard?.count ?? 0} {guard?.count === 1 ? "update" : "updates"} arrived while you were writing: a
            new message or a change by someone else. Read {guard?.count === 1 ? "it" : "them"} before you
            send?
          </Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => guard?.decide(false)} data-autofocus>
              Review first
            </Button>
            <Button onClick={() => guard?.decide(true)}>Send anyway</Button>
          </Group>
        </Stack>
      </Modal>

      <Modal
        opened={childrenPrompt !== null}
        onClose={() => setChildrenPrompt(null)}
        title="This case has open child cases"
        centered
        radius="lg"
      >
        <Stack gap="md">
          <Text size="sm">Resolve them together with {childrenPrompt?.target.number}?</Text>
          <ul className={classes.childList}>
            {childrenPrompt?.children.map((child) => (
              <li key={child.id}>
                <span className={classes.caseLinkNumber}>{child.number}</span> {child.subject}
              </li>
            ))}
          </ul>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setChildrenPrompt(null)} data-autofocus>
              Cancel
            </Button>
            <Button
              variant="default"
              onClick={() => {
                const prompt = childrenPrompt;
                setChildrenPrompt(null);
                if (prompt) {
                  changeCase(
                    prompt.target,
                    { ...prompt.patch, resolveChildren: false },
                    `${prompt.target.number} resolved`,
                  );
                }
              }}
            >
              Only this case
            </Button>
            <Button
              onClick={() => {
                const prompt = childrenPrompt;
                setChildrenPrompt(null);
                if (prompt) {
                  changeCase(
                    prompt.target,
                    { ...prompt.patch, resolveChildren: true },
                    `${prompt.target.number} and its children resolved`,
                  );
                }
              }}
            >
              Resolve all
            </Button>
          </Group>
        </Stack>
      </Modal>
    </div>
  );
}
