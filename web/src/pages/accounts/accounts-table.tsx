import { Skeleton } from "@mantine/core";
import { IconArrowDown, IconArrowUp } from "@tabler/icons-react";
import { useQueryClient } from "@tanstack/react-query";
import {
  type KeyboardEvent,
  type MouseEvent,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
} from "react";
import { Link, useNavigate } from "react-router-dom";
import { prefetchAccount, type TAccount, type TAccountSort, type TStaffUser } from "../../customers/api";
import { HealthChip, KeyBadge } from "../../customers/badges";
import { formatRevenue, formatRevenueCompact } from "../../customers/format";
import classes from "./accounts-table.module.css";

/** Below this many rows everything is rendered; above it, only what is near the viewport. */
const VIRTUALIZE_FROM = 150;
const OVERSCAN_ROWS = 15;

export type TFocusRequest = { index: number; nonce: number };

/**
 * The accounts table: dense rows, the whole row opens the account, one tab stop (the selected
 * row; arrows, j/k, Home/End move it). Long lists render only the rows near the viewport.
 */
export function AccountsTable({
  accounts,
  ownersById,
  selected,
  onSelect,
  focusRequest,
  sort,
  onSort,
  totalKnown,
  onReachEnd,
}: {
  accounts: readonly TAccount[];
  ownersById: ReadonlyMap<string, TStaffUser>;
  selected: number;
  onSelect: (index: number) => void;
  focusRequest: TFocusRequest | null;
  sort: TAccountSort;
  onSort: (sort: TAccountSort) => void;
  /** False while more pages exist: aria-rowcount is then unknown (-1). */
  totalKnown: boolean;
  /** Keyboard moved past the last loaded row. */
  onReachEnd: () => void;
}) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const virtual = accounts.length > VIRTUALIZE_FROM;
  const [rowHeight, setRowHeight] = useState(43);
  const [range, setRange] = useState<[number, number]>([0, VIRTUALIZE_FROM]);
  const pendingFocus = useRef<number | null>(null);

  // Which rows are near the viewport (the page scrolls, not the table).
  useLayoutEffect(() => {
    if (!virtual) return;
    const update = () => {
      const body = bodyRef.current;
      if (!body) return;
      const top = body.getBoundingClientRect().top;
      const first = Math.floor(-top / rowHeight) - OVERSCAN_ROWS;
      const last = Math.ceil((window.innerHeight - top) / rowHeight) + OVERSCAN_ROWS;
      const start = Math.max(0, Math.min(accounts.length, first));
      const end = Math.max(start, Math.min(accounts.length, last));
      setRange((current) => (current[0] === start && current[1] === end ? current : [start, end]));
    };
    update();
    window.addEventListener("scroll", update, { passive: true });
    window.addEventListener("resize", update);
    return () => {
      window.removeEventListener("scroll", update);
      window.removeEventListener("resize", update);
    };
  }, [virtual, accounts.length, rowHeight]);

  // Spacers stand in for rows not rendered: measure a real row so they are the right height.
  useLayoutEffect(() => {
    if (!virtual) return;
    const row = bodyRef.current?.querySelector<HTMLElement>("tr[data-row-index]");
    const height = row?.getBoundingClientRect().height;
    if (height && Math.abs(height - rowHeight) > 0.5) setRowHeight(height);
  });

  const focusRow = useCallback((index: number) => {
    const link = bodyRef.current?.querySelector<HTMLElement>(
      `tr[data-row-index="${index}"] a[data-row-link]`,
    );
    if (link) {
      link.focus();
      pendingFocus.current = null;
      return true;
    }
    return false;
  }, []);

  // Focus asked for by the page (j/k); a row outside the rendered window is scrolled to first.
  useEffect(() => {
    if (!focusRequest) return;
    if (focusRow(focusRequest.index)) return;
    pendingFocus.current = focusRequest.index;
    const body = bodyRef.current;
    if (body) {
      const bodyTop = body.getBoundingClientRect().top + window.scrollY;
      window.scrollTo({ top: bodyTop + focusRequest.index * rowHeight - window.innerHeight / 2 });
    }
  }, [focusRequest, focusRow, rowHeight]);

  useEffect(() => {
    if (pendingFocus.current !== null) focusRow(pendingFocus.current);
  });

  const [start, end] = virtual ? range : [0, accounts.length];
  const visible = accounts.slice(start, end);
  const tabStop = selected >= 0 && selected < accounts.length ? selected : 0;

  function onRowKeyDown(event: KeyboardEvent<HTMLAnchorElement>, index: number) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    let next: number | null = null;
    if (event.key === "ArrowDown") next = index + 1;
    else if (event.key === "ArrowUp") next = index - 1;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = accounts.length - 1;
    if (next === null) return;
    event.preventDefault();
    if (next >= accounts.length) {
      onReachEnd();
      return;
    }
    if (next < 0) return;
    onSelect(next);
    if (!focusRow(next)) {
      pendingFocus.current = next;
      const body = bodyRef.current;
      if (body) {
        const bodyTop = body.getBoundingClientRect().top + window.scrollY;
        window.scrollTo({ top: bodyTop + next * rowHeight - window.innerHeight / 2 });
      }
    }
  }

  function onRowClick(event: MouseEvent<HTMLTableRowElement>, account: TAccount) {
    // The name link handles its own clicks (and new-tab clicks); this covers the rest of the row.
    if ((event.target as HTMLElement).closest("a, button")) return;
    if (window.getSelection()?.toString()) return;
    navigate(`/accounts/${account.id}`);
  }

  return (
    <table
      className={classes.table}
      aria-label="Accounts"
      aria-rowcount={totalKnown ? accounts.length + 1 : -1}
      data-testid="accounts-table"
    >
      <thead>
        <tr aria-rowindex={1}>
          <th scope="col" aria-sort={sort === "name" ? "ascending" : undefined} className={classes.colName}>
            <SortButton active={sort === "name"} direction="up" onClick={() => onSort("name")}>
              Name
            </SortButton>
          </th>
          <th scope="col" className={`${classes.wide} ${classes.colDomain}`}>
            Domain
          </th>
          <th scope="col" className={`${classes.wide} ${classes.colOwner}`}>
            Owner
          </th>
          <th
            scope="col"
            className={`${classes.numeric} ${classes.colRevenue}`}
            aria-sort={sort === "-annualRevenue" ? "descending" : undefined}
          >
            <SortButton
              active={sort === "-annualRevenue"}
              direction="down"
              onClick={() => onSort("-annualRevenue")}
            >
              Revenue
            </SortButton>
          </th>
          <th scope="col" className={`${classes.wide} ${classes.colHealth}`}>
            Health
          </th>
        </tr>
      </thead>
      <tbody ref={bodyRef}>
        {start > 0 ? (
          <tr className={classes.spacer} aria-hidden>
            <td colSpan={5} style={{ height: start * rowHeight }} />
          </tr>
        ) : null}
        {visible.map((account, offset) => {
          const index = start + offset;
          const owner = account.ownerId ? ownersById.get(account.ownerId) : undefined;
          return (
            <tr
              key={account.id}
              className={classes.row}
              data-row-index={index}
              data-selected={index === selected || undefined}
              aria-rowindex={index + 2}
              onClick={(event) => onRowClick(event, account)}
              onMouseEnter={() => prefetchAccount(queryClient, account.id)}
            >
              <td>
                <div className={classes.nameLine}>
                  <Link
                    to={`/accounts/${account.id}`}
                    className={classes.rowLink}
                    data-row-link=""
                    tabIndex={index === tabStop ? 0 : -1}
                    onFocus={() => {
                      onSelect(index);
                      prefetchAccount(queryClient, account.id);
                    }}
                    onKeyDown={(event) => onRowKeyDown(event, index)}
                  >
                    {account.name}
                  </Link>
                  {account.tier === "key" ? <KeyBadge /> : null}
                </div>
                <div className={classes.meta}>
                  <HealthChip health={account.health} quiet />
                  <span className={classes.metaText}>
                    {[account.domain, owner?.name].filter(Boolean).join(" · ")}
                  </span>
                </div>
              </td>
              <td className={classes.wide}>{account.domain ?? <span className={classes.muted}>—</span>}</td>
              <td className={classes.wide}>
                {owner ? (
                  owner.name
                ) : (
                  <span className={classes.muted}>{account.ownerId ? "…" : "No owner"}</span>
                )}
              </td>
              <td className={classes.numeric}>
                <span className={classes.wide}>{formatRevenue(account.annualRevenue)}</span>
                <span className={classes.meta} style={{ justifyContent: "flex-end", marginTop: 0 }}>
                  {formatRevenueCompact(account.annualRevenue)}
                </span>
              </td>
              <td className={classes.wide}>
                <HealthChip health={account.health} quiet />
              </td>
            </tr>
          );
        })}
        {end < accounts.length ? (
          <tr className={classes.spacer} aria-hidden>
            <td colSpan={5} style={{ height: (accounts.length - end) * rowHeight }} />
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}

function SortButton({
  active,
  direction,
  onClick,
  children,
}: {
  active: boolean;
  direction: "up" | "down";
  onClick: () => void;
  children: string;
}) {
  const Icon = direction === "up" ? IconArrowUp : IconArrowDown;
  return (
    <button
      type="button"
      className={classes.sortButton}
      data-active={active || undefined}
      onClick={onClick}
      aria-label={active ? `${children}, sorted` : `Sort by ${children.toLowerCase()}`}
      style={{ background: "none", border: 0, cursor: "pointer" }}
    >
      {children}
      <Icon size={13} stroke={2} aria-hidden style={{ opacity: active ? 1 : 0.35 }} />
    </button>
  );
}

/** Placeholder rows while the first page loads: the table's shape, without fake data. */
export function AccountsTableSkeleton({ rows = 10 }: { rows?: number }) {
  return (
    <table className={classes.table} aria-hidden>
      <thead>
        <tr>
          <th className={classes.colName}>Name</th>
          <th className={`${classes.wide} ${classes.colDomain}`}>Domain</th>
          <th className={`${classes.wide} ${classes.colOwner}`}>Owner</th>
          <th className={`${classes.numeric} ${classes.colRevenue}`}>Revenue</th>
          <th className={`${classes.wide} ${classes.colHealth}`}>Health</th>
        </tr>
      </thead>
      <tbody>
        {Array.from({ length: rows }, (_, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: placeholder rows have nothing else to key by.
          <tr key={index} className={classes.skeletonRow}>
            <td>
              <Skeleton height={10} width={`${55 + ((index * 17) % 35)}%`} radius="sm" />
            </td>
            <td className={classes.wide}>
              <Skeleton height={10} width="60%" radius="sm" />
            </td>
            <td className={classes.wide}>
              <Skeleton height={10} width="50%" radius="sm" />
            </td>
            <td>
              <Skeleton height={10} width="60%" ml="auto" radius="sm" />
            </td>
            <td className={classes.wide}>
              <Skeleton height={16} width={80} radius="xl" />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
