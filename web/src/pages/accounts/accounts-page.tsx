import {
  Alert,
  Anchor,
  Button,
  CloseButton,
  EmptyState,
  Group,
  Kbd,
  Loader,
  SegmentedControl,
  Select,
  TextInput,
} from "@mantine/core";
import { useDebouncedValue, useDisclosure, useIntersection } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { IconAlertCircle, IconBuilding, IconPlus, IconSearch, IconSearchOff } from "@tabler/icons-react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useNavigate, useNavigationType, useSearchParams } from "react-router-dom";
import { areaByKey } from "../../app/areas";
import {
  type TShortcut,
  useKeyboardShortcuts,
  useSingleKeyShortcutsSetting,
} from "../../components/keyboard-shortcuts";
import { useAnnounce } from "../../components/live-region";
import { Page } from "../../components/page";
import { usePageSearch } from "../../components/page-search";
import {
  ownerOptions,
  type TAccount,
  type TAccountFilters,
  type TAccountSort,
  useAccountList,
  useStaffUsers,
} from "../../customers/api";
import { LiveIndicator } from "../../customers/badges";
import { rememberAccountsListSearch } from "../../customers/list-memory";
import { NewAccountModal } from "../../customers/new-account-modal";
import classes from "./accounts-page.module.css";
import { AccountsTable, AccountsTableSkeleton, type TFocusRequest } from "./accounts-table";

const SEARCH_DEBOUNCE_MS = 200;

// The row last opened or created, so coming back to the list puts the keyboard where it was.
let lastAccountId: string | null = null;

function readFilters(params: URLSearchParams): TAccountFilters {
  const tier = params.get("tier");
  const sort = params.get("sort");
  return {
    q: params.get("q")?.trim() ?? "",
    tier: tier === "key" || tier === "standard" ? tier : null,
    ownerId: params.get("owner") || null,
    sort: sort === "revenue" ? "-annualRevenue" : "name",
  };
}

/** Customers: every account, searchable, filterable, with keyboard navigation. */
export function AccountsPage() {
  const area = areaByKey("accounts");
  const navigate = useNavigate();
  const navigationType = useNavigationType();
  const announce = useAnnounce();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => readFilters(params), [params]);
  useEffect(() => rememberAccountsListSearch(params.toString()), [params]);

  // ---- search box ↔ ?q= (debounced; the URL is the truth, the box may run ahead of it) ----
  const [search, setSearch] = useState(filters.q);
  const [debounced] = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const written = useRef(filters.q);
  const searchRef = useRef<HTMLInputElement>(null);
  usePageSearch(searchRef);

  const setParam = useCallback(
    (name: string, value: string | null) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (value) next.set(name, value);
          else next.delete(name);
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  // Only a settled change of the box writes the URL (never the URL changing under a stale value).
  const urlQ = useRef(filters.q);
  urlQ.current = filters.q;
  useEffect(() => {
    if (debounced === urlQ.current) return;
    written.current = debounced;
    setParam("q", debounced || null);
  }, [debounced, setParam]);

  useEffect(() => {
    // Back/forward, or a link with ?q=: show it in the box (but never undo what is being typed).
    if (filters.q !== written.current) {
      written.current = filters.q;
      setSearch(filters.q);
    }
  }, [filters.q]);

  // ---- data ----
  const list = useAccountList(filters);
  const staff = useStaffUsers();
  const accounts = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const owners = useMemo(() => ownerOptions(staff.users, filters.ownerId), [staff.users, filters.ownerId]);
  const filtering = Boolean(filters.q || filters.tier || filters.ownerId);

  // Say how many matched once a search or filter has an answer (not on the first load).
  const filterKey = JSON.stringify([filters.q, filters.tier, filters.ownerId]);
  const announcedKey = useRef(filterKey);
  useEffect(() => {
    if (list.isPlaceholderData || !list.isSuccess || announcedKey.current === filterKey) return;
    announcedKey.current = filterKey;
    const count = accounts.length;
    announce(
      count === 0
        ? "No accounts match"
        : `${count}${list.hasNextPage ? " or more" : ""} account${count === 1 ? "" : "s"} found`,
    );
  }, [filterKey, list.isPlaceholderData, list.isSuccess, list.hasNextPage, accounts.length, announce]);

  // ---- selection and keyboard ----
  const [selected, setSelected] = useState(-1);
  const [focusRequest, setFocusRequest] = useState<TFocusRequest | null>(null);
  const restored = useRef(false);

  useEffect(() => {
    if (restored.current || accounts.length === 0) return;
    restored.current = true;
    const index = lastAccountId ? accounts.findIndex((account) => account.id === lastAccountId) : -1;
    if (index < 0) return;
    setSelected(index);
    // Back from an account: the keyboard continues from the row it opened.
    if (navigationType === "POP") setFocusRequest({ index, nonce: Date.now() });
  }, [accounts, navigationType]);

  // A new search starts at the top.
  const selectionKey = JSON.stringify(filters);
  const previousSelectionKey = useRef(selectionKey);
  useEffect(() => {
    if (previousSelectionKey.current === selectionKey) return;
    previousSelectionKey.current = selectionKey;
    setSelected(-1);
  }, [selectionKey]);

  const open = useCallback(
    (account: TAccount | undefined) => {
      if (!account) return;
      lastAccountId = account.id;
      navigate(`/accounts/${account.id}`);
    },
    [navigate],
  );

  const move = useCallback(
    (delta: number) => {
      if (accounts.length === 0) return;
      const next = selected < 0 ? 0 : selected + delta;
      if (next >= accounts.length) {
        if (list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage();
        return;
      }
      const index = Math.max(0, next);
      setSelected(index);
      setFocusRequest({ index, nonce: Date.now() });
    },
    [accounts.length, selected, list],
  );

  const [singleKeys] = useSingleKeyShortcutsSetting();
  const shortcuts = useMemo<TShortcut[]>(
    () => [
      { keys: ["j"], run: () => move(1) },
      { keys: ["k"], run: () => move(-1) },
      { keys: ["o"], run: () => open(accounts[selected]) },
    ],
    [move, open, accounts, selected],
  );
  useKeyboardShortcuts(shortcuts, singleKeys);

  // Enter opens the selected row when nothing else has focus (on a row, the link handles it).
  useEffect(() => {
    if (!singleKeys) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Enter" || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey)
        return;
      if (event.target !== document.body && event.target !== document.getElementById("main")) return;
      if (document.querySelector("[role='dialog'][aria-modal='true']")) return;
      const account = accounts[selected];
      if (!account) return;
      event.preventDefault();
      open(account);
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [singleKeys, accounts, selected, open]);

  // ---- paging: a button, and automatically when it scrolls into view ----
  const { ref: moreRef, entry } = useIntersection({ rootMargin: "400px" });
  useEffect(() => {
    if (entry?.isIntersecting && list.hasNextPage && !list.isFetchingNextPage && !list.isPlaceholderData) {
      void list.fetchNextPage();
    }
  }, [entry?.isIntersecting, list]);

  // ---- new account ----
  const [creating, createModal] = useDisclosure(false);
  const pendingSelect = useRef<string | null>(null);
  useEffect(() => {
    if (!pendingSelect.current) return;
    const index = accounts.findIndex((account) => account.id === pendingSelect.current);
    if (index < 0) return;
    pendingSelect.current = null;
    setSelected(index);
  }, [accounts]);

  function onCreated(account: TAccount) {
    createModal.close();
    lastAccountId = account.id;
    pendingSelect.current = account.id;
    notifications.show({
      id: `created-${account.id}`,
      color: "green",
      title: "Account created",
      message: (
        <>
          {account.name} is {account.tier === "key" ? "a key account" : "on the standard tier"}.{" "}
          <Anchor component="button" type="button" fz="inherit" fw={600} onClick={() => open(account)}>
            Open it
          </Anchor>
        </>
      ),
    });
  }

  function clearFilters() {
    setSearch("");
    written.current = "";
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const name of ["q", "tier", "owner"]) next.delete(name);
        return next;
      },
      { replace: true },
    );
  }

  const searching =
    list.isFetching && !list.isFetchingNextPage && (list.isPlaceholderData || search.trim() !== filters.q);

  return (
    <Page
      title={area.label}
      icon={area.icon}
      flush
      actions={
        <Group gap="md" wrap="nowrap">
          <LiveIndicator />
          <Button leftSection={<IconPlus size={16} stroke={2} aria-hidden />} onClick={createModal.open}>
            New account
          </Button>
        </Group>
      }
    >
      <search className={classes.toolbar} aria-label="Find accounts">
        <TextInput
          ref={searchRef}
          className={classes.search}
          type="search"
          aria-label="Search accounts"
          placeholder="Search name, contact email or domain"
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === "Escape") {
              if (search) setSearch("");
              else event.currentTarget.blur();
            } else if (event.key === "ArrowDown" && accounts.length > 0) {
              event.preventDefault();
              setSelected(0);
              setFocusRequest({ index: 0, nonce: Date.now() });
            } else if (event.key === "Enter") {
              event.preventDefault();
              setParam("q", search.trim() || null);
            }
          }}
          leftSection={
            searching ? <Loader size={14} aria-hidden /> : <IconSearch size={16} stroke={1.8} aria-hidden />
          }
          rightSection={
            search ? (
              <CloseButton size="md" aria-label="Clear search" onClick={() => setSearch("")} />
            ) : (
              <Kbd aria-hidden visibleFrom="sm">
                /
              </Kbd>
            )
          }
          autoComplete="off"
          spellCheck={false}
        />
        <div className={classes.filters}>
          <SegmentedControl
            aria-label="Tier"
            size="sm"
            fullWidth
            value={filters.tier ?? "all"}
            onChange={(value) => setParam("tier", value === "all" ? null : value)}
            data={[
              { value: "all", label: "All tiers" },
              { value: "key", label: "Key" },
              { value: "standard", label: "Standard" },
            ]}
          />
          <Select
            aria-label="Owner"
            placeholder="Any owner"
            data={owners}
            value={filters.ownerId}
            onChange={(value) => setParam("owner", value)}
            searchable
            clearable
            nothingFoundMessage="Nobody by that name"
            w={190}
          />
          <Select
            aria-label="Sort"
            data={[
              { value: "name", label: "Name, A to Z" },
              { value: "-annualRevenue", label: "Revenue, highest first" },
            ]}
            value={filters.sort}
            onChange={(value) => setParam("sort", value === "-annualRevenue" ? "revenue" : null)}
            allowDeselect={false}
            w={200}
          />
        </div>
        <span className={classes.summary} aria-hidden>
          {list.isSuccess
            ? `${accounts.length}${list.hasNextPage ? "+" : ""} account${accounts.length === 1 ? "" : "s"}`
            : ""}
        </span>
      </search>

      {list.isError && !list.data ? (
        <div className={classes.empty}>
          <Alert
            color="red"
            variant="light"
            icon={<IconAlertCircle size={18} aria-hidden />}
            title="The accounts couldn't be loaded"
            role="alert"
          >
            {list.error.message}{" "}
            <Button variant="subtle" size="compact-sm" onClick={() => list.refetch()}>
              Try again
            </Button>
          </Alert>
        </div>
      ) : list.isPending ? (
        <AccountsTableSkeleton />
      ) : accounts.length === 0 ? (
        <div className={classes.empty}>
          {filtering ? (
            <EmptyState
              icon={<IconSearchOff size={26} stroke={1.6} />}
              withIndicatorBackground
              title={filters.q ? `No accounts match “${filters.q}”` : "No accounts match these filters"}
              description="Search looks at account names, contacts' email addresses and email domains."
            >
              <EmptyState.Actions>
                <Button variant="default" onClick={clearFilters}>
                  Clear search and filters
                </Button>
              </EmptyState.Actions>
            </EmptyState>
          ) : (
            <EmptyState
              icon={<IconBuilding size={26} stroke={1.6} />}
              withIndicatorBackground
              title="No customers yet"
              description="Add the organisations you serve. Their tier follows from revenue: the accounts that bring the top 80% are key."
            >
              <EmptyState.Actions>
                <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={createModal.open}>
                  New account
                </Button>
              </EmptyState.Actions>
            </EmptyState>
          )}
        </div>
      ) : (
        <>
          <AccountsTable
            accounts={accounts}
            ownersById={staff.byId}
            selected={selected}
            onSelect={setSelected}
            focusRequest={focusRequest}
            sort={filters.sort}
            onSort={(sort: TAccountSort) => setParam("sort", sort === "-annualRevenue" ? "revenue" : null)}
            totalKnown={!list.hasNextPage}
            onReachEnd={() => {
              if (list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage();
            }}
          />
          <div className={classes.footer} ref={moreRef}>
            {list.hasNextPage ? (
              <Button
                variant="default"
                onClick={() => list.fetchNextPage()}
                loading={list.isFetchingNextPage}
              >
                Load more accounts
              </Button>
            ) : (
              <span>
                {accounts.length === 1 ? "1 account" : `All ${accounts.length} accounts`}
                {filtering ? " matching" : ""}
              </span>
            )}
          </div>
        </>
      )}

      <NewAccountModal opened={creating} onClose={createModal.close} onCreated={onCreated} />
    </Page>
  );
}
