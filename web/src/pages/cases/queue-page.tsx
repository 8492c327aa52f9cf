import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  Kbd,
  Loader,
  Popover,
  SegmentedControl,
  Text,
  TextInput,
  Tooltip,
  UnstyledButton,
  VisuallyHidden,
} from "@mantine/core";
import { useDebouncedCallback, useDisclosure, useElementSize, useLocalStorage } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import {
  IconBookmark,
  IconBookmarkPlus,
  IconInbox,
  IconInfoCircle,
  IconLayoutList,
  IconLayoutRows,
  IconPlus,
  IconSearch,
  IconTag,
  IconTrash,
  IconUserPlus,
  IconX,
} from "@tabler/icons-react";
import { useQueryClient } from "@tanstack/react-query";
import {
  type CSSProperties,
  type FormEvent,
  type MouseEvent,
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router-dom";
import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/problem";
import { useCurrentUser } from "../../auth/session";
import {
  type TShortcut,
  useKeyboardShortcuts,
  useSingleKeyShortcutsSetting,
} from "../../components/keyboard-shortcuts";
import { useAnnounce } from "../../components/live-region";
import { LogCallButton } from "../../components/log-call-dialog";
import { Page } from "../../components/page";
import { usePageSearch } from "../../components/page-search";
import { type TStaffUser, useStaffUsers } from "../../customers/api";
import { KeyBadge } from "../../customers/badges";
import { useLiveEvent } from "../../live/live-updates";
import { SlaCountdownAt } from "../../sla/sla-countdown";
import {
  type TCase,
  type TCaseFilters,
  type TCasePatch,
  type TCaseSort,
  useCaseList,
  useCaseStatuses,
  useQueues,
} from "./api";
import {
  formatDateTime,
  PRIORITIES,
  PriorityIcon,
  preview,
  priorityLabel,
  relativeTime,
  StatusIcon,
  shortAge,
  statusLabelOf,
} from "./case-format";
import { caseKeys } from "./case-keys";
import classes from "./cases.module.css";
import { isFloatingOpen } from "./floating";
import { OwnerAvatar } from "./owner-avatar";
import { FilterChip, Picker, type TPickerOption } from "./picker";
import { queueMemory, rememberQueue } from "./queue-memory";
import {
  BUILTIN_VIEWS,
  DEFAULT_VIEW_ID,
  filtersFromParams,
  isModified,
  paramsFor,
  type TView,
  useSavedViews,
} from "./queue-views";
import { useCustomerNames } from "./use-customers";
import { useNow } from "./use-now";

type TDensity = "comfortable" | "compact";

const SORT_OPTIONS: readonly TPickerOption[] = [
  { value: "-updatedAt", label: "Recently updated" },
  { value: "updatedAt", label: "Least recently updated" },
  { value: "-createdAt", label: "Newest first" },
  { value: "createdAt", label: "Oldest first" },
  { value: "-priority", label: "Most urgent first" },
  { value: "priority", label: "Least urgent first" },
  { value: "slaDueAt", label: "Due soonest" },
];

const NEXT_BREACH_HINT =
  "Time left to the soonest SLA target: red and negative once overdue, grey while paused, a dash when no SLA applies";
const SAVED_VIEWS_NOTE =
  "Saved in this browser only. Shared views, saved on the server, arrive with a later release of the API.";

/** The queue: views, filters, a dense keyboard-driven table, bulk changes. */
export function QueuePage() {
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = useCurrentUser();
  const announce = useAnnounce();
  const [singleKeys] = useSingleKeyShortcutsSetting();
  const [density, setDensity] = useLocalStorage<TDensity>({
    key: "keepdesk:case-density",
    defaultValue: "comfortable",
    getInitialValueInEffect: false,
  });

  const saved = useSavedViews();
  const savedViews = useRef(saved.views);
  savedViews.current = saved.views;
  const view = viewOf(params.get("view"), saved.views);
  const filters = useMemo(() => filtersFromParams(params, view.filters), [params, view.filters]);
  const modified = isModified(params) || filters.q !== view.filters.q;

  const list = useCaseList(filters);
  const cases = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const { statuses, byKey: statusByKey } = useCaseStatuses();
  const { queues, byId: queueById } = useQueues();
  const staff = useStaffUsers();
  const accountIds = useMemo(() => cases.map((item) => item.accountId), [cases]);
  const contactIds = useMemo(() => cases.map((item) => item.contactId), [cases]);
  const { accounts, contacts, loading: namesLoading } = useCustomerNames(accountIds, contactIds);
  const now = useNow();

  // ---- the remembered place: Esc from a case comes back here ----
  const remembered = queueMemory();
  const sameList = remembered.search === location.search;
  const [activeId, setActiveId] = useState<string | null>(sameList ? remembered.activeId : null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(sameList ? remembered.selected : new Set());
  const restored = useRef(!sameList);

  useLayoutEffect(() => {
    if (restored.current || cases.length === 0) return;
    restored.current = true;
    window.scrollTo(0, remembered.scrollY);
    const row = activeId ? document.querySelector<HTMLElement>(`[data-case-row="${activeId}"] a`) : null;
    row?.focus({ preventScroll: true });
  }, [cases.length, remembered.scrollY, activeId]);

  useEffect(() => {
    rememberQueue({ search: location.search, activeId, selected, order: cases.map((item) => item.id) });
  }, [location.search, activeId, selected, cases]);

  useEffect(() => {
    const onScroll = () => rememberQueue({ scrollY: window.scrollY });
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => window.removeEventListener("scroll", onScroll);
  }, []);

  // A new list (another view or filter) starts with nothing selected.
  const previousSearch = useRef(location.search);
  useEffect(() => {
    if (previousSearch.current === location.search) return;
    previousSearch.current = location.search;
    setSelected(new Set());
    setActiveId(null);
  }, [location.search]);

  // ---- filters in the URL ----
  // Reads the address at the moment of the change (not this render's), so a search typed
  // right after switching views stays in that view.
  const applyFilters = useCallback(
    (patch: Partial<TCaseFilters>, replace = false) => {
      const current = new URLSearchParams(window.location.search);
      const currentView = viewOf(current.get("view"), savedViews.current);
      const base = filtersFromParams(current, currentView.filters);
      setParams(paramsFor(currentView.id, { ...base, ...patch }, currentView.filters), { replace });
    },
    [setParams],
  );

  const [qInput, setQInput] = useState(filters.q);
  useEffect(() => setQInput(filters.q), [filters.q]);
  const pushQuery = useDebouncedCallback((q: string) => applyFilters({ q }, true), 250);
  const searchRef = useRef<HTMLInputElement>(null);
  usePageSearch(searchRef);

  // The table header sticks under the toolbar, which may wrap on narrow screens.
  const { ref: toolbarRef, height: measuredToolbar } = useElementSize();
  const toolbarHeight = Math.round(measuredToolbar) + 17 || 48;

  // ---- keyboard ----
  const activeIndex = activeId ? cases.findIndex((item) => item.id === activeId) : -1;

  const focusRow = useCallback((id: string) => {
    setActiveId(id);
    const link = document.querySelector<HTMLElement>(`[data-case-row="${id}"] a`);
    link?.focus();
    link?.closest("tr")?.scrollIntoView({ block: "nearest" });
  }, []);

  const move = useCallback(
    (delta: number) => {
      if (cases.length === 0) return;
      const from = activeIndex === -1 ? (delta > 0 ? -1 : cases.length) : activeIndex;
      const next = Math.min(cases.length - 1, Math.max(0, from + delta));
      const target = cases[next];
      if (target) focusRow(target.id);
      if (delta > 0 && next >= cases.length - 3 && list.hasNextPage && !list.isFetchingNextPage) {
        void list.fetchNextPage();
      }
    },
    [cases, activeIndex, focusRow, list],
  );

  const toggleSelected = useCallback((id: string) => {
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  const openCase = useCallback(
    (id: string) => {
      setActiveId(id);
      rememberQueue({ activeId: id, scrollY: window.scrollY });
      navigate(`/cases/${id}`);
    },
    [navigate],
  );

  const shortcuts = useMemo<TShortcut[]>(() => {
    // An open filter list or popover keeps its keys.
    const whenFree = (run: () => void) => () => {
      if (!isFloatingOpen()) run();
    };
    return [
      { keys: ["j"], run: whenFree(() => move(1)) },
      { keys: ["k"], run: whenFree(() => move(-1)) },
      {
        keys: ["o"],
        run: whenFree(() => {
          const target = cases[activeIndex] ?? cases[0];
          if (target) openCase(target.id);
        }),
      },
      {
        keys: ["x"],
        run: whenFree(() => {
          const target = cases[activeIndex];
          if (target) toggleSelected(target.id);
        }),
      },
    ];
  }, [move, cases, activeIndex, openCase, toggleSelected]);
  useKeyboardShortcuts(shortcuts, singleKeys);

  // ---- infinite scroll ----
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const node = sentinel.current;
    if (!node || !list.hasNextPage) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting) && !list.isFetchingNextPage)
          void list.fetchNextPage();
      },
      { rootMargin: "400px" },
    );
    observer.observe(node);
    return () => observer.disconnect();
  }, [list.hasNextPage, list.isFetchingNextPage, list.fetchNextPage]);

  // ---- live: tell screen readers a case arrived ----
  useLiveEvent(
    useCallback(
      (event) => {
        if (event.type === "case.created" && event.actorId !== me.id) announce("A new case arrived");
      },
      [announce, me.id],
    ),
  );

  // ---- bulk changes ----
  const [bulkBusy, setBulkBusy] = useState(false);
  const runBulk = useCallback(
    async (patch: TCasePatch, done: string) => {
      const ids = cases.filter((item) => selected.has(item.id)).map((item) => item);
      if (ids.length === 0) return;
      setBulkBusy(true);
      const results = await Promise.allSettled(
        ids.map((item) =>
          unwrap(api.PATCH("/api/v1/cases/{id}", { params: { path: { id: item.id } }, body: patch })),
        ),
      );
      setBulkBusy(false);
      const refused = results
        .map((result, index) => ({ result, item: ids[index] as TCase }))
        .filter(({ result }) => result.status === "rejected");
      const changed = ids.length - refused.length;
      void queryClient.invalidateQueries({ queryKey: caseKeys.all });
      if (refused.length === 0) {
        const message = `${done} ${changed} ${changed === 1 ? "case" : "cases"}`;
        notifications.show({ message, color: "green" });
        announce(message);
        setSelected(new Set());
      } else {
        const reasons = refused
          .slice(0, 3)
          .map(({ result, item }) => {
            const error = (result as PromiseRejectedResult).reason;
            return `${item.number}: ${error instanceof ApiError ? error.message : "failed"}`;
          })
          .join("\n");
        notifications.show({
          title: `${changed} changed, ${refused.length} refused`,
          message: reasons + (refused.length > 3 ? `\n…and ${refused.length - 3} more` : ""),
          color: "red",
          autoClose: 10_000,
          style: { whiteSpace: "pre-line" },
        });
        announce(`${changed} changed, ${refused.length} refused`);
        setSelected(new Set(refused.map(({ item }) => item.id)));
      }
    },
    [cases, selected, queryClient, announce],
  );

  // ---- options ----
  const statusOptions: TPickerOption[] = statuses.map((status) => ({
    value: status.key,
    label: status.label,
    icon: <StatusIcon status={status.key} meta={status} size={14} />,
  }));
  const priorityOptions: TPickerOption[] = PRIORITIES.map((priority) => ({
    value: priority,
    label: priorityLabel[priority],
    icon: <PriorityIcon priority={priority} size={14} />,
  }));
  const ownerFilterOptions: TPickerOption[] = [
    { value: "me", label: "Me" },
    { value: "none", label: "Unassigned" },
    ...staff.users
      .filter((user) => user.active && user.id !== me.id)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((user) => ({ value: user.id, label: user.name })),
  ];
  const queueOptions: TPickerOption[] = queues.map((queue) => ({ value: queue.id, label: queue.name }));

  const allSelected = cases.length > 0 && cases.every((item) => selected.has(item.id));
  const someSelected = selected.size > 0 && !allSelected;
  const countText = list.isPending
    ? ""
    : list.hasNextPage
      ? `${cases.length} shown · more below`
      : `${cases.length} ${cases.length === 1 ? "case" : "cases"}`;

  return (
    <Page
      title="Inbox"
      icon={IconInbox}
      flush
      actions={
        <Group gap="xs" wrap="nowrap">
          <SegmentedControl
            size="xs"
            value={density}
            onChange={(value) => setDensity(value as TDensity)}
            aria-label="Row density"
            visibleFrom="sm"
            data={[
              {
                value: "comfortable",
                label: (
                  <Group gap={4} wrap="nowrap">
                    <IconLayoutRows size={14} aria-hidden />
                    <span>Comfortable</span>
                  </Group>
                ),
              },
              {
                value: "compact",
                label: (
                  <Group gap={4} wrap="nowrap">
                    <IconLayoutList size={14} aria-hidden />
                    <span>Compact</span>
                  </Group>
                ),
              },
            ]}
          />
          <LogCallButton />
          <Button component={Link} to="/cases/new" size="xs" leftSection={<IconPlus size={14} aria-hidden />}>
            New case
          </Button>
        </Group>
      }
    >
      <div className={classes.queueLayout} data-density={density}>
        <nav className={classes.views} aria-label="Views">
          <div className={classes.viewsHeading}>Views</div>
          <ul className={classes.viewList}>
            {BUILTIN_VIEWS.map((item) => (
              <ViewLink key={item.id} view={item} active={item.id === view.id} modified={modified} />
            ))}
          </ul>
          <Group justify="space-between" className={classes.viewsHeading} wrap="nowrap">
            <span>Saved views</span>
            <Tooltip label={SAVED_VIEWS_NOTE} multiline w={240}>
              <UnstyledButton className={classes.infoDot} aria-label={SAVED_VIEWS_NOTE}>
                <IconInfoCircle size={14} stroke={1.8} aria-hidden />
              </UnstyledButton>
            </Tooltip>
          </Group>
          {saved.views.length === 0 ? (
            <Text size="xs" c="dimmed" px={10} lh={1.5}>
              Set filters, then “Save view”.
            </Text>
          ) : (
            <ul className={classes.viewList}>
              {saved.views.map((item) => (
                <ViewLink
                  key={item.id}
                  view={item}
                  active={item.id === view.id}
                  modified={modified}
                  onRemove={() => {
                    saved.remove(item.id);
                    if (item.id === view.id) setParams(new URLSearchParams());
                    announce(`View ${item.name} deleted`);
                  }}
                />
              ))}
            </ul>
          )}
        </nav>

        <section
          className={classes.queueMain}
          aria-label={`${view.name} cases`}
          style={{ "--kd-toolbar-h": `${toolbarHeight}px` } as CSSProperties}
        >
          <div className={classes.toolbar} ref={toolbarRef}>
            <search className={classes.search}>
              <form
                onSubmit={(event: FormEvent) => {
                  event.preventDefault();
                  pushQuery.cancel?.();
                  applyFilters({ q: qInput }, true);
                }}
              >
                <TextInput
                  ref={searchRef}
                  type="search"
                  size="xs"
                  aria-label="Find cases"
                  placeholder="Find cases… ( / )"
                  value={qInput}
                  onChange={(event) => {
                    setQInput(event.currentTarget.value);
                    pushQuery(event.currentTarget.value);
                  }}
                  onKeyDown={(event) => {
                    if (event.key === "Escape") event.currentTarget.blur();
                    if (event.key === "ArrowDown" && cases[0]) {
                      event.preventDefault();
                      focusRow(cases[0].id);
                    }
                  }}
                  leftSection={<IconSearch size={14} aria-hidden />}
                  autoComplete="off"
                  spellCheck={false}
                />
              </form>
            </search>
            <FilterChip
              label="Status"
              multiple
              values={filters.status}
              options={statusOptions}
              onChange={(status) =>
                applyFilters({ status, statusCategory: status.length ? [] : view.filters.statusCategory })
              }
              anyLabel={filters.statusCategory.length ? categoriesLabel(filters.statusCategory) : "Any"}
              quietAny="Any"
              testId="filter-status"
            />
            <FilterChip
              label="Priority"
              multiple
              values={filters.priority}
              options={priorityOptions}
              onChange={(priority) => applyFilters({ priority: priority as TCaseFilters["priority"] })}
            />
            <FilterChip
              label="Owner"
              searchable
              values={filters.owner ? [filters.owner] : []}
              options={ownerFilterOptions}
              onChange={([owner]) => applyFilters({ owner: owner ?? null })}
              anyLabel="Anyone"
            />
            {queues.length > 0 ? (
              <FilterChip
                label="Queue"
                values={filters.queueId ? [filters.queueId] : []}
                options={queueOptions}
                onChange={([queueId]) => applyFilters({ queueId: queueId ?? null })}
              />
            ) : null}
            <TagFilter tags={filters.tag} onChange={(tag) => applyFilters({ tag })} />
            <div className={classes.toolbarEnd}>
              <Picker
                label="Sort"
                value={filters.sort}
                options={SORT_OPTIONS}
                onChange={(sort) => applyFilters({ sort: sort as TCaseSort })}
                display={
                  <span className={classes.pickerValue}>
                    <Text span c="dimmed" size="xs">
                      Sort{" "}
                    </Text>
                    {SORT_OPTIONS.find((option) => option.value === filters.sort)?.label}
                  </span>
                }
              />
              {modified ? (
                <Button
                  variant="subtle"
                  color="gray"
                  size="compact-xs"
                  onClick={() => setParams(paramsFor(view.id, view.filters, view.filters))}
                >
                  Reset
                </Button>
              ) : null}
              <SaveView
                disabled={!modified && view.builtin}
                onSave={(name) => {
                  const id = saved.save(name, { ...filters });
                  setParams(paramsFor(id, filters, filters));
                  announce(`View ${name} saved`);
                }}
              />
            </div>
          </div>

          {selected.size > 0 ? (
            <section className={classes.bulkBar} aria-label="Bulk actions">
              <Text size="sm" fw={600}>
                {selected.size} selected
              </Text>
              <Button
                size="compact-sm"
                variant="default"
                leftSection={<IconUserPlus size={14} aria-hidden />}
                loading={bulkBusy}
                onClick={() => void runBulk({ ownerId: me.id }, "Assigned to you:")}
              >
                Assign to me
              </Button>
              <Picker
                label="Change status"
                value={null}
                options={statusOptions}
                onChange={(status) =>
                  void runBulk({ status }, `Status ${statusLabelOf(status, statusByKey)}:`)
                }
                display={<span className={classes.pickerValue}>Change status</span>}
                disabled={bulkBusy}
              />
              <BulkTag
                disabled={bulkBusy}
                onAdd={(tag) => void runBulk({ addTags: [tag] }, `Tagged “${tag}”:`)}
              />
              <Button
                size="compact-sm"
                variant="subtle"
                color="gray"
                leftSection={<IconX size={14} aria-hidden />}
                onClick={() => setSelected(new Set())}
              >
                Clear
              </Button>
            </section>
          ) : null}

          <table
            className={classes.table}
            data-density={density}
            aria-label={`${view.name} cases`}
            aria-busy={list.isFetching}
          >
            <thead>
              <tr>
                <th className={classes.colSelect} scope="col">
                  <Checkbox
                    size="xs"
                    aria-label={allSelected ? "Clear selection" : "Select all shown cases"}
                    checked={allSelected}
                    indeterminate={someSelected}
                    onChange={() =>
                      setSelected(allSelected ? new Set() : new Set(cases.map((item) => item.id)))
                    }
                  />
                </th>
                <th className={classes.colDot} scope="col">
                  <VisuallyHidden>Status and priority</VisuallyHidden>
                </th>
                <th scope="col">Subject</th>
                <th className={classes.colCustomer} scope="col">
                  Customer
                </th>
                <th className={classes.colOwner} scope="col">
                  Owner
                </th>
                <th className={classes.colBreach} scope="col">
                  <Tooltip label={NEXT_BREACH_HINT} multiline w={260}>
                    <UnstyledButton
                      className={classes.thHint}
                      aria-label={`Next breach: ${NEXT_BREACH_HINT}`}
                    >
                      Next breach
                    </UnstyledButton>
                  </Tooltip>
                </th>
                <th className={classes.colUpdated} scope="col">
                  Updated
                </th>
              </tr>
            </thead>
            <tbody>
              {cases.map((item) => {
                const account = item.accountId ? accounts.get(item.accountId) : undefined;
                const contact = item.contactId ? contacts.get(item.contactId) : undefined;
                const owner = item.ownerId ? staff.byId.get(item.ownerId) : undefined;
                return (
                  <QueueRow
                    key={item.id}
                    item={item}
                    active={item.id === activeId}
                    selected={selected.has(item.id)}
                    statusLabel={statusLabelOf(item.status, statusByKey)}
                    statusMeta={statusByKey.get(item.status)}
                    accountName={
                      item.accountId
                        ? (account?.name ?? (namesLoading ? null : "Unknown account"))
                        : undefined
                    }
                    keyAccount={account?.tier === "key"}
                    contactName={
                      item.contactId
                        ? (contact?.name ?? (namesLoading ? null : "Unknown contact"))
                        : undefined
                    }
                    owner={owner}
                    ownerIsMe={item.ownerId === me.id}
                    queueName={item.queueId ? queueById.get(item.queueId)?.name : undefined}
                    now={now}
                    onFocusRow={setActiveId}
                    onToggle={toggleSelected}
                    onOpen={openCase}
                  />
                );
              })}
            </tbody>
          </table>

          {list.isPending ? (
            <div className={classes.listMessage}>
              <Loader size="sm" aria-label="Loading cases" />
            </div>
          ) : list.isError ? (
            <div className={classes.listMessage} role="alert">
              <Text size="sm">Cases could not be loaded: {list.error.message}</Text>
              <Button size="xs" variant="default" onClick={() => void list.refetch()}>
                Try again
              </Button>
            </div>
          ) : cases.length === 0 ? (
            <div className={classes.listMessage}>
              <Text fw={600}>{filters.q ? "No cases match your search" : "Nothing here"}</Text>
              <Text size="sm" c="dimmed">
                {filters.q
                  ? "Try other words, a case number such as CS-000123, or fewer filters."
                  : view.id === "mine"
                    ? "No open cases are assigned to you."
                    : "No cases in this view right now."}
              </Text>
            </div>
          ) : null}

          <div className={classes.listFooter}>
            <Text size="xs" c="dimmed" aria-live="polite">
              {countText}
            </Text>
            {list.hasNextPage ? (
              <Button
                size="xs"
                variant="default"
                onClick={() => void list.fetchNextPage()}
                loading={list.isFetchingNextPage}
              >
                Load more
              </Button>
            ) : null}
            <Text size="xs" c="dimmed" visibleFrom="sm" className={classes.keysHint}>
              <Kbd>j</Kbd> <Kbd>k</Kbd> move · <Kbd>o</Kbd> open · <Kbd>x</Kbd> select · <Kbd>/</Kbd> find
            </Text>
          </div>
          <div ref={sentinel} aria-hidden />
        </section>
      </div>
    </Page>
  );
}

function viewOf(id: string | null, saved: readonly TView[]): TView {
  const wanted = id ?? DEFAULT_VIEW_ID;
  return (
    BUILTIN_VIEWS.find((item) => item.id === wanted) ??
    saved.find((item) => item.id === wanted) ??
    (BUILTIN_VIEWS[0] as TView)
  );
}

function categoriesLabel(categories: readonly string[]): string {
  const names: Record<string, string> = { open: "Open", paused: "Paused", resolved: "Resolved" };
  const set = new Set(categories);
  if (set.has("open") && set.has("paused") && !set.has("resolved")) return "Any open";
  return categories.map((category) => names[category] ?? category).join(", ");
}

function ViewLink({
  view,
  active,
  modified,
  onRemove,
}: {
  view: TView;
  active: boolean;
  modified: boolean;
  onRemove?: () => void;
}) {
  const search = view.id === DEFAULT_VIEW_ID ? "" : `?view=${encodeURIComponent(view.id)}`;
  return (
    <li className={classes.viewItem}>
      <Link
        to={{ pathname: "/cases", search }}
        className={classes.viewLink}
        aria-current={active ? "page" : undefined}
        data-testid={`view-${view.id}`}
      >
        {view.builtin ? null : <IconBookmark size={14} stroke={1.8} aria-hidden />}
        <span className={classes.viewName}>{view.name}</span>
        {active && modified ? (
          <span className={classes.viewModified} title="Filters changed">
            <VisuallyHidden>(filters changed)</VisuallyHidden>
          </span>
        ) : null}
      </Link>
      {onRemove ? (
        <Tooltip label={`Delete view “${view.name}”`}>
          <ActionIcon
            variant="subtle"
            color="gray"
            size={24}
            className={classes.viewRemove}
            onClick={onRemove}
            aria-label={`Delete view ${view.name}`}
          >
            <IconTrash size={14} aria-hidden />
          </ActionIcon>
        </Tooltip>
      ) : null}
    </li>
  );
}

/** One row; memoised, so a name arriving for one row does not redraw the other 49. */
const QueueRow = memo(function QueueRow({
  item,
  active,
  selected,
  statusLabel,
  statusMeta,
  accountName,
  keyAccount,
  contactName,
  owner,
  ownerIsMe,
  queueName,
  now,
  onFocusRow,
  onToggle,
  onOpen,
}: {
  item: TCase;
  active: boolean;
  selected: boolean;
  statusLabel: string;
  statusMeta: Parameters<typeof StatusIcon>[0]["meta"];
  /** undefined: no account; null: still loading. */
  accountName: string | null | undefined;
  keyAccount: boolean;
  contactName: string | null | undefined;
  owner: TStaffUser | undefined;
  ownerIsMe: boolean;
  queueName: string | undefined;
  now: number;
  onFocusRow: (id: string) => void;
  onToggle: (id: string) => void;
  onOpen: (id: string) => void;
}) {
  const description = preview(item.description);
  const labels =
    item.tags.length || queueName ? (
      <>
        {queueName ? <span className={classes.queueTag}>{queueName}</span> : null}
        {item.tags.slice(0, 3).map((tag) => (
          <span key={tag} className={classes.tag}>
            {tag}
          </span>
        ))}
        {item.tags.length > 3 ? <span className={classes.tag}>+{item.tags.length - 3}</span> : null}
      </>
    ) : null;
  // The whole row opens the case for the mouse; the subject link is the keyboard's way in.
  const onRowClick = (event: MouseEvent<HTMLTableRowElement>) => {
    const target = event.target as HTMLElement;
    if (target.closest("a, button, input, label, [role='checkbox']")) return;
    if (window.getSelection()?.toString()) return;
    onOpen(item.id);
  };
  return (
    <tr
      className={classes.row}
      data-case-row={item.id}
      data-active={active || undefined}
      data-selected={selected || undefined}
      data-resolved={item.statusCategory === "resolved" || undefined}
      onClick={onRowClick}
      onFocus={() => onFocusRow(item.id)}
    >
      <td className={classes.colSelect}>
        <Checkbox
          size="xs"
          checked={selected}
          onChange={() => onToggle(item.id)}
          aria-label={`Select ${item.number}`}
        />
      </td>
      <td className={classes.colDot}>
        <span
          className={classes.dots}
          title={`${statusLabel} · ${priorityLabel[item.priority]} priority`}
          data-testid="case-row-dots"
        >
          <StatusIcon status={item.status} meta={statusMeta} size={15} />
          <PriorityIcon priority={item.priority} size={15} />
        </span>
      </td>
      <td className={classes.colSubject}>
        <div className={classes.subjectLine}>
          <span className={classes.caseNumber}>{item.number}</span>
          <Link
            to={`/cases/${item.id}`}
            className={classes.subjectLink}
            onClick={(event) => {
              if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
              event.preventDefault();
              onOpen(item.id);
            }}
          >
            {item.subject}
            <VisuallyHidden>{`, ${statusLabel}, ${priorityLabel[item.priority]} priority`}</VisuallyHidden>
          </Link>
          <span className={classes.inlineOnly}>{labels}</span>
          {description ? <span className={classes.previewInline}>{description}</span> : null}
        </div>
        {description || labels ? (
          <div className={classes.preview}>
            {labels}
            <span className={classes.previewText}>{description}</span>
          </div>
        ) : null}
      </td>
      <td className={classes.colCustomer}>
        <div className={classes.customerCell}>
          <span className={classes.contactName}>
            {contactName === undefined ? (
              accountName === undefined ? (
                <Text span c="dimmed" size="sm">
                  —
                </Text>
              ) : null
            ) : (
              (contactName ?? <Skeleton />)
            )}
          </span>
          {accountName !== undefined ? (
            <span className={classes.accountName}>
              <span className={classes.accountText}>{accountName ?? <Skeleton />}</span>
              {keyAccount ? <KeyBadge /> : null}
            </span>
          ) : null}
        </div>
      </td>
      <td className={classes.colOwner}>
        {owner ? (
          <span className={classes.ownerCell}>
            <OwnerAvatar name={owner.name} size={20} />
            <span className={classes.ownerName}>{ownerIsMe ? "You" : owner.name}</span>
          </span>
        ) : item.ownerId ? (
          <Skeleton />
        ) : (
          <Text span size="sm" c="dimmed">
            Unassigned
          </Text>
        )}
      </td>
      <td className={classes.colBreach}>
        {/* A CSS tooltip: fifty Mantine tooltips per page would cost more than the table. */}
        <SlaCountdownAt clocks={item.sla} now={now} tip="data" />
      </td>
      <td className={classes.colUpdated}>
        <time dateTime={item.updatedAt} data-tip={formatDateTime(item.updatedAt)} data-tip-align="end">
          <span aria-hidden>{shortAge(item.updatedAt, now)}</span>
          <VisuallyHidden>{`Updated ${relativeTime(item.updatedAt, now)}`}</VisuallyHidden>
        </time>
      </td>
    </tr>
  );
});

/** A grey bar where a name is still loading. */
function Skeleton() {
  return (
    <span className={classes.skeletonText}>
      <VisuallyHidden>Loading</VisuallyHidden>
    </span>
  );
}

function TagFilter({ tags, onChange }: { tags: readonly string[]; onChange: (tags: string[]) => void }) {
  const [opened, { close, toggle }] = useDisclosure(false);
  const [value, setValue] = useState("");
  return (
    <Popover
      opened={opened}
      onChange={(next) => (next ? undefined : close())}
      position="bottom-start"
      shadow="md"
      trapFocus
    >
      <Popover.Target>
        <button
          type="button"
          className={classes.filterChip}
          data-active={tags.length > 0 || undefined}
          onClick={toggle}
          aria-label={`Tag: ${tags.length ? tags.join(", ") : "any"}`}
        >
          <span className={classes.filterChipLabel}>Tag</span>
          {tags.length ? <span className={classes.filterChipValue}>{tags.join(", ")}</span> : null}
        </button>
      </Popover.Target>
      <Popover.Dropdown>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const tag = value.trim().toLowerCase();
            if (tag && !tags.includes(tag)) onChange([...tags, tag]);
            setValue("");
          }}
        >
          <TextInput
            size="xs"
            label="Cases with every tag"
            placeholder="Type a tag, press Enter"
            value={value}
            onChange={(event) => setValue(event.currentTarget.value)}
            data-autofocus
          />
        </form>
        {tags.length > 0 ? (
          <Group gap={4} mt={8}>
            {tags.map((tag) => (
              <button
                key={tag}
                type="button"
                className={classes.tagRemovable}
                onClick={() => onChange(tags.filter((item) => item !== tag))}
                aria-label={`Remove tag filter ${tag}`}
              >
                {tag}
                <IconX size={11} aria-hidden />
              </button>
            ))}
          </Group>
        ) : null}
      </Popover.Dropdown>
    </Popover>
  );
}

function SaveView({ disabled, onSave }: { disabled: boolean; onSave: (name: string) => void }) {
  const [opened, { close, toggle }] = useDisclosure(false);
  const [name, setName] = useState("");
  return (
    <Tooltip label={SAVED_VIEWS_NOTE} multiline w={260} disabled={opened}>
      <span>
        <Popover
          opened={opened}
          onChange={(next) => (next ? undefined : close())}
          position="bottom-end"
          shadow="md"
          trapFocus
        >
          <Popover.Target>
            <Button
              size="compact-xs"
              variant="subtle"
              leftSection={<IconBookmarkPlus size={14} aria-hidden />}
              onClick={toggle}
              disabled={disabled}
            >
              Save view
            </Button>
          </Popover.Target>
          <Popover.Dropdown>
            <form
              onSubmit={(event) => {
                event.preventDefault();
                if (!name.trim()) return;
                onSave(name.trim());
                setName("");
                close();
              }}
            >
              <TextInput
                size="xs"
                label="Name this view"
                description="Kept in this browser only, for now"
                value={name}
                onChange={(event) => setName(event.currentTarget.value)}
                data-autofocus
                maxLength={60}
              />
              <Group justify="flex-end" mt={8}>
                <Button size="compact-sm" type="submit" disabled={!name.trim()}>
                  Save
                </Button>
              </Group>
            </form>
          </Popover.Dropdown>
        </Popover>
      </span>
    </Tooltip>
  );
}

function BulkTag({ disabled, onAdd }: { disabled: boolean; onAdd: (tag: string) => void }) {
  const [opened, { close, toggle }] = useDisclosure(false);
  const [value, setValue] = useState("");
  return (
    <Popover
      opened={opened}
      onChange={(next) => (next ? undefined : close())}
      position="bottom-start"
      shadow="md"
      trapFocus
    >
      <Popover.Target>
        <Button
          size="compact-sm"
          variant="default"
          leftSection={<IconTag size={14} aria-hidden />}
          onClick={toggle}
          disabled={disabled}
        >
          Add tag
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const tag = value.trim().toLowerCase();
            if (!tag) return;
            onAdd(tag);
            setValue("");
            close();
          }}
        >
          <TextInput
            size="xs"
            label="Tag to add"
            value={value}
            onChange={(event) => setValue(event.currentTarget.value)}
            data-autofocus
            maxLength={50}
          />
          <Group justify="flex-end" mt={8}>
            <Button size="compact-sm" type="submit" disabled={!value.trim()}>
              Add
            </Button>
          </Group>
        </form>
      </Popover.Dropdown>
    </Popover>
  );
}
