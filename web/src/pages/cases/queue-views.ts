import { useLocalStorage } from "@mantine/hooks";
import { useCallback } from "react";
import type { TCaseFilters, TCaseSort, TPriority } from "./api";
import { PRIORITIES } from "./case-format";

/**
 * Queue views are named filter sets. The built-in ones below; the agent's own are kept in
 * this browser (localStorage) until the API has saved views. The URL holds the view and any
 * filter changed on top of it, so back/forward, reloads and shared links keep the list.
 */

export type TView = { id: string; name: string; filters: TCaseFilters; builtin: boolean };

const OPEN_CATEGORIES = ["open", "paused"];

export const EMPTY_FILTERS: TCaseFilters = {
  status: [],
  statusCategory: [],
  priority: [],
  owner: null,
  queueId: null,
  tag: [],
  q: "",
  sort: "-updatedAt",
};

function view(id: string, name: string, filters: Partial<TCaseFilters>): TView {
  return { id, name, filters: { ...EMPTY_FILTERS, ...filters }, builtin: true };
}

export const BUILTIN_VIEWS: readonly TView[] = [
  view("open", "All open", { statusCategory: OPEN_CATEGORIES }),
  view("mine", "Mine", { statusCategory: OPEN_CATEGORIES, owner: "me" }),
  view("unassigned", "Unassigned", { statusCategory: OPEN_CATEGORIES, owner: "none" }),
  view("new", "New", { status: ["new"] }),
  view("waiting", "Waiting on customer", { status: ["waiting_on_customer"] }),
  view("breaching", "Breaching soon", { statusCategory: ["open"], slaDueWithin: 120, sort: "slaDueAt" }),
  view("breached", "Breached", { statusCategory: OPEN_CATEGORIES, slaState: ["breached"], sort: "slaDueAt" }),
  view("resolved", "Resolved", { statusCategory: ["resolved"] }),
];

export const DEFAULT_VIEW_ID = "open";

// ---- saved views (this browser) ----

type TSavedView = { id: string; name: string; filters: TCaseFilters };

export function useSavedViews() {
  const [saved, setSaved] = useLocalStorage<TSavedView[]>({
    key: "keepdesk:case-views",
    defaultValue: [],
    getInitialValueInEffect: false,
  });
  const views: TView[] = (Array.isArray(saved) ? saved : []).map((item) => ({
    ...item,
    filters: { ...EMPTY_FILTERS, ...item.filters },
    builtin: false,
  }));
  const save = useCallback(
    (name: string, filters: TCaseFilters): string => {
      const id = `saved-${Date.now().toString(36)}`;
      setSaved((current) => [...(Array.isArray(current) ? current : []), { id, name, filters }]);
      return id;
    },
    [setSaved],
  );
  const remove = useCallback(
    (id: string) =>
      setSaved((current) => (Array.isArray(current) ? current : []).filter((item) => item.id !== id)),
    [setSaved],
  );
  return { views, save, remove };
}

// ---- URL <-> filters ----

const SORTS: readonly TCaseSort[] = [
  "-updatedAt",
  "updatedAt",
  "-createdAt",
  "createdAt",
  "-priority",
  "priority",
  "slaDueAt",
];

function list(value: string | null): string[] {
  return value ? value.split(",").filter(Boolean) : [];
}

/** The view's filters with whatever the URL changes on top of them. */
export function filtersFromParams(params: URLSearchParams, base: TCaseFilters): TCaseFilters {
  const filters = { ...base };
  if (params.has("status")) filters.status = list(params.get("status"));
  if (params.has("category")) filters.statusCategory = list(params.get("category"));
  if (params.has("priority")) {
    filters.priority = list(params.get("priority")).filter((value): value is TPriority =>
      (PRIORITIES as readonly string[]).includes(value),
    );
  }
  if (params.has("owner")) {
    const owner = params.get("owner");
    filters.owner = owner && owner !== "any" ? owner : null;
  }
  if (params.has("queue")) filters.queueId = params.get("queue") || null;
  if (params.has("tag")) filters.tag = list(params.get("tag"));
  if (params.has("q")) filters.q = params.get("q") ?? "";
  const sort = params.get("sort") as TCaseSort | null;
  if (sort && SORTS.includes(sort)) filters.sort = sort;
  return filters;
}

/** URL parameters for `filters` shown on top of the view `base`: only what differs. */
export function paramsFor(viewId: string, filters: TCaseFilters, base: TCaseFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (viewId !== DEFAULT_VIEW_ID) params.set("view", viewId);
  const same = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((value) => b.includes(value));
  if (!same(filters.status, base.status)) params.set("status", filters.status.join(","));
  if (!same(filters.statusCategory, base.statusCategory))
    params.set("category", filters.statusCategory.join(","));
  if (!same(filters.priority, base.priority)) params.set("priority", filters.priority.join(","));
  if (filters.owner !== base.owner) params.set("owner", filters.owner ?? "any");
  if (filters.queueId !== base.queueId) params.set("queue", filters.queueId ?? "");
  if (!same(filters.tag, base.tag)) params.set("tag", filters.tag.join(","));
  if (filters.q !== base.q) params.set("q", filters.q);
  if (filters.sort !== base.sort) params.set("sort", filters.sort);
  return params;
}

/** Whether the URL changes anything on top of its view (the search box aside). */
export function isModified(params: URLSearchParams): boolean {
  return ["status", "category", "priority", "owner", "queue", "tag", "sort"].some((key) => params.has(key));
}
