import { type QueryClient, type QueryKey, useQueryClient } from "@tanstack/react-query";
import { useEffect, useSyncExternalStore } from "react";
import { ACTIVITY_EVENT_TYPES, activityKeys } from "../activities/activity-keys";
import { sessionQueryKey } from "../auth/session";
import { customerKeys, staffKeys } from "../customers/api";
import { markDeleted } from "../customers/deleted";
import { NOTIFICATION_EVENT_TYPES, notificationKeys } from "../notifications/api";
import { SERVICE_EVENT_TYPES } from "../pages/accounts/timeline-service-events";
import { CASE_CONFIG_EVENT_TYPES, CASE_EVENT_TYPES, caseEventKeys, caseKeys } from "../pages/cases/case-keys";
import { INCIDENT_EVENT_TYPES, incidentKeys } from "../pages/incidents/api";
import { ENTITLEMENT_EVENT_TYPES, SLA_EVENT_TYPES, slaKeys } from "../sla/sla-keys";

/**
 * Live updates: one EventSource on `GET /api/v1/stream` for the whole signed-in app. Each
 * domain event invalidates the TanStack queries it touches, so a change made anywhere (another
 * agent, the API, a worker) shows on screen without a reload. The browser reconnects by itself
 * and the server replays what was missed (Last-Event-ID); when the browser gives up (an HTTP
 * error, the server restarting) we reconnect with backoff and refetch everything live.
 */

/** What the stream sends for every committed event (the change itself is fetched, not pushed). */
export type TLiveEvent = {
  seq: number;
  id: string;
  type: string;
  entityType: string;
  entityId: string;
  accountId: string | null;
  actorId: string | null;
  at: string;
};

type TRule = {
  types: readonly string[];
  keys: (event: TLiveEvent) => QueryKey[];
  /** Anything else the event means for the app, run before the queries are invalidated. */
  effect?: (event: TLiveEvent) => void;
};

/** Which queries each event makes stale. Add a rule here when a screen shows a new kind of data. */
const RULES: readonly TRule[] = [
  {
    types: ["account.created", "account.updated", "account.tier_changed"],
    keys: (event) => [customerKeys.accountLists, customerKeys.account(event.entityId)],
  },
  {
    // A deleted account is not refetched (that would be a 404): its screen says it is gone.
    types: ["account.deleted"],
    effect: (event) => markDeleted("account", event.entityId),
    keys: () => [customerKeys.accountLists],
  },
  {
    // A contact's email is searchable from the accounts list, so lists refresh too.
    types: ["contact.created", "contact.updated"],
    keys: (event) => [
      customerKeys.contactLists,
      customerKeys.contact(event.entityId),
      customerKeys.accountLists,
    ],
  },
  {
    types: ["contact.deleted"],
    effect: (event) => markDeleted("contact", event.entityId),
    keys: (event) => [
      ...(event.accountId ? [customerKeys.contactsOf(event.accountId)] : []),
      customerKeys.accountLists,
    ],
  },
  {
    types: ["user.created", "user.updated", "user.deactivated"],
    keys: () => [staffKeys.all],
  },
  // Cases: the queue lists, and the open case's header, thread and history.
  { types: CASE_EVENT_TYPES, keys: caseEventKeys },
  { types: CASE_CONFIG_EVENT_TYPES, keys: () => [caseKeys.config] },
  // The stream sends only the signed-in user's own notification events.
  { types: NOTIFICATION_EVENT_TYPES, keys: () => [notificationKeys.all] },
  // A clock warned or breached: the case's countdowns, its SLA history and the queue's views.
  { types: SLA_EVENT_TYPES, keys: (event) => [...caseEventKeys(event), slaKeys.caseSla(event.entityId)] },
  { types: ENTITLEMENT_EVENT_TYPES, keys: () => [slaKeys.entitlements] },
  // Activities: My day, the Activities list, a case's promises, the promise report.
  { types: ACTIVITY_EVENT_TYPES, keys: () => [activityKeys.all] },
  // Events other screens read only through the account timeline (which listens to every event of
  // its account): subscribing is enough, there is no query of their own to refresh.
  { types: SERVICE_EVENT_TYPES, keys: () => [] },
  // Incidents: their lists and pages, the status components, and the banners on cases.
  {
    types: INCIDENT_EVENT_TYPES,
    keys: () => [incidentKeys.all, incidentKeys.components, incidentKeys.allOfCases],
  },
];

/** Everything the rules can touch: refetched after a gap in the stream that was not replayed. */
const LIVE_ROOTS: readonly QueryKey[] = [
  customerKeys.accounts,
  customerKeys.contacts,
  staffKeys.all,
  caseKeys.all,
  caseKeys.config,
  notificationKeys.all,
  slaKeys.entitlements,
  activityKeys.all,
  incidentKeys.all,
  incidentKeys.components,
  incidentKeys.allOfCases,
];

const STREAM_URL = "/api/v1/stream";
const FLUSH_DELAY_MS = 100;

// ---- connection status, for a calm "reconnecting" hint ----

export type TLiveStatus = "connecting" | "live" | "offline";

let status: TLiveStatus = "connecting";
const statusListeners = new Set<() => void>();

function setStatus(next: TLiveStatus): void {
  if (status === next) return;
  status = next;
  for (const listener of statusListeners) listener();
}

export function useLiveStatus(): TLiveStatus {
  return useSyncExternalStore(
    (listener) => {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    () => status,
  );
}

// ---- event subscribers, for screens that want to react beyond refetching ----

const eventListeners = new Set<(event: TLiveEvent) => void>();

/** Calls `listener` for every event the stream delivers (of the types in RULES). */
export function useLiveEvent(listener: (event: TLiveEvent) => void): void {
  useEffect(() => {
    eventListeners.add(listener);
    return () => {
      eventListeners.delete(listener);
    };
  }, [listener]);
}

// ---- the connection ----

function isLiveEvent(value: unknown): value is TLiveEvent {
  const event = value as Partial<TLiveEvent> | null;
  return typeof event?.type === "string" && typeof event.entityId === "string";
}

function backoffMs(attempt: number): number {
  const base = Math.min(60_000, 2_000 * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

function invalidateAll(queryClient: QueryClient): void {
  for (const queryKey of LIVE_ROOTS) void queryClient.invalidateQueries({ queryKey });
}

/** Mount once, inside the signed-in shell. */
export function useLiveUpdates(): void {
  const queryClient = useQueryClient();

  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    let source: EventSource | null = null;
    let retryTimer: number | undefined;
    let flushTimer: number | undefined;
    let attempt = 0;
    let missedEvents = false;
    // Bursts (a revenue change re-tiers many accounts at once) become one refetch per query.
    const pending = new Map<string, QueryKey>();

    const flush = () => {
      flushTimer = undefined;
      for (const queryKey of pending.values()) void queryClient.invalidateQueries({ queryKey });
      pending.clear();
    };

    const onEvent = (message: MessageEvent<string>) => {
      let event: unknown;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      if (!isLiveEvent(event)) return;
      for (const rule of RULES) {
        if (!rule.types.includes(event.type)) continue;
        rule.effect?.(event);
        for (const queryKey of rule.keys(event)) pending.set(JSON.stringify(queryKey), queryKey);
      }
      flushTimer ??= window.setTimeout(flush, FLUSH_DELAY_MS);
      for (const listener of eventListeners) listener(event);
    };

    const connect = () => {
      setStatus("connecting");
      const current = new EventSource(STREAM_URL, { withCredentials: true });
      source = current;
      current.onopen = () => {
        attempt = 0;
        setStatus("live");
        if (missedEvents) {
          missedEvents = false;
          invalidateAll(queryClient);
        }
      };
      current.onerror = () => {
        if (current.readyState !== EventSource.CLOSED) {
          // The browser is reconnecting; the server will replay what we miss meanwhile.
          setStatus("connecting");
          return;
        }
        // The browser gave up (an HTTP error). Perhaps the session ended: re-checking it signs
        // the user out if so (and this hook unmounts). Otherwise try again, more slowly each time.
        current.close();
        setStatus("offline");
        missedEvents = true;
        void queryClient.invalidateQueries({ queryKey: sessionQueryKey });
        retryTimer = window.setTimeout(connect, backoffMs(attempt));
        attempt += 1;
      };
      for (const rule of RULES) {
        for (const type of rule.types) current.addEventListener(type, onEvent);
      }
    };

    connect();
    return () => {
      source?.close();
      window.clearTimeout(retryTimer);
      window.clearTimeout(flushTimer);
      setStatus("connecting");
    };
  }, [queryClient]);
}
