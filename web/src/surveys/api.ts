import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { components, paths } from "../api/schema";

/** Data hooks for surveys: settings, the satisfaction report, survey lists. */

export type TSurvey = components["schemas"]["Survey"];
export type TSurveySettings = components["schemas"]["SurveySettings"];
export type TSatisfaction = components["schemas"]["SatisfactionResults"];
export type TFigure = TSatisfaction["totals"]["csat"];
export type TSurveySettingsPatch = NonNullable<
  paths["/api/v1/survey-settings"]["patch"]["requestBody"]
>["content"]["application/json"];
export type TGroupBy = "week" | "team" | "agent";

export const surveyKeys = {
  all: ["surveys"] as const,
  settings: () => ["surveys", "settings"] as const,
  results: (from: string, to: string, groupBy: TGroupBy) =>
    ["surveys", "results", from, to, groupBy] as const,
  list: (query: Record<string, string | undefined>) => ["surveys", "list", query] as const,
};

export function useSurveySettings() {
  return useQuery({
    queryKey: surveyKeys.settings(),
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/survey-settings", { signal })),
  });
}

export function useUpdateSurveySettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TSurveySettingsPatch) => unwrap(api.PATCH("/api/v1/survey-settings", { body })),
    onSuccess: (data) => client.setQueryData(surveyKeys.settings(), data),
  });
}

export function useSatisfaction(from: string, to: string, groupBy: TGroupBy) {
  return useQuery({
    queryKey: surveyKeys.results(from, to, groupBy),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/reports/satisfaction", { params: { query: { from, to, groupBy } }, signal })),
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
  });
}

export function useSurveys(query: { contactId?: string; accountId?: string; caseId?: string }) {
  return useQuery({
    queryKey: surveyKeys.list(query),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/surveys", { params: { query: { ...query, limit: 50 } }, signal })),
  });
}

/** A figure as people read it: "82%", "+31", "5.6", or a dash. */
export function formatFigure(type: "csat" | "nps" | "ces", f: TFigure): string {
  if (f.value === null || f.value === undefined) return "—";
  if (type === "csat") return `${f.value}%`;
  if (type === "nps") return f.value > 0 ? `+${f.value}` : String(f.value);
  return f.value.toFixed(1);
}

export function formatInterval(type: "csat" | "nps" | "ces", f: TFigure): string {
  if (!f.interval) return "";
  const unit = type === "csat" ? "%" : "";
  return `95% CI ${f.interval.low}${unit} to ${f.interval.high}${unit}`;
}

export const TYPE_LABEL = { csat: "CSAT", nps: "NPS", ces: "CES" } as const;

// ---- feedback items ----

export type TFeedbackItem = components["schemas"]["FeedbackItem"];
export type TFeedbackDetail = components["schemas"]["FeedbackItemDetail"];
export type TFeedbackStatus = TFeedbackItem["status"];
export type TFeedbackKind = TFeedbackItem["kind"];
export type TFeedbackInput = paths["/api/v1/feedback"]["post"]["requestBody"]["content"]["application/json"];

export const FEEDBACK_STATUSES: readonly TFeedbackStatus[] = [
  "new",
  "planned",
  "in_progress",
  "done",
  "wont_do",
];
export const FEEDBACK_KINDS: readonly TFeedbackKind[] = ["complaint", "idea", "praise", "question"];
export const statusLabel: Record<TFeedbackStatus, string> = {
  new: "New",
  planned: "Planned",
  in_progress: "In progress",
  done: "Done",
  wont_do: "Won't do",
};
export const kindLabel: Record<TFeedbackKind, string> = {
  complaint: "Complaint",
  idea: "Idea",
  praise: "Praise",
  question: "Question",
};
export const kindColor: Record<TFeedbackKind, string> = {
  complaint: "red",
  idea: "indigo",
  praise: "teal",
  question: "gray",
};

export const feedbackKeys = {
  all: ["feedback"] as const,
  list: (kind: string | null, sort: string) => ["feedback", "list", kind, sort] as const,
  one: (id: string) => ["feedback", "one", id] as const,
};

export function useFeedbackBoard(kind: TFeedbackKind | null, sort: "revenue" | "votes" | "newest") {
  return useQuery({
    queryKey: feedbackKeys.list(kind, sort),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/feedback", {
          params: { query: { ...(kind ? { kind: [kind] } : {}), sort, limit: 200 } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useFeedbackItem(id: string | null) {
  return useQuery({
    queryKey: feedbackKeys.one(id ?? ""),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/feedback/{id}", { params: { path: { id: id ?? "" } }, signal })),
    enabled: id !== null,
  });
}

export function useFeedbackMutations() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: feedbackKeys.all });
  return {
    create: useMutation({
      mutationFn: (body: TFeedbackInput) => unwrap(api.POST("/api/v1/feedback", { body })),
      onSuccess: () => {
        void refresh();
        void client.invalidateQueries({ queryKey: surveyKeys.all });
      },
    }),
    setStatus: useMutation({
      mutationFn: ({ id, status }: { id: string; status: TFeedbackStatus }) =>
        unwrap(api.PATCH("/api/v1/feedback/{id}", { params: { path: { id } }, body: { status } })),
      onSuccess: refresh,
    }),
    closeLoop: useMutation({
      mutationFn: ({ id, message }: { id: string; message?: string }) =>
        unwrap(
          api.POST("/api/v1/feedback/{id}/close-loop", {
            params: { path: { id } },
            body: message ? { message } : {},
          }),
        ),
      onSuccess: refresh,
    }),
  };
}

// ---- councils ----

export type TCouncil = components["schemas"]["Council"];
export type TCouncilMember = components["schemas"]["CouncilMember"];
export type TCouncilInput = paths["/api/v1/councils"]["post"]["requestBody"]["content"]["application/json"];

export const councilKeys = {
  all: ["councils"] as const,
  list: () => ["councils", "list"] as const,
  one: (id: string) => ["councils", "one", id] as const,
  suggestions: (id: string) => ["councils", "suggestions", id] as const,
  meeting: (id: string) => ["councils", "meeting", id] as const,
};

export function useCouncils() {
  return useQuery({
    queryKey: councilKeys.list(),
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/councils", { signal })),
  });
}
export function useCouncil(id: string) {
  return useQuery({
    queryKey: councilKeys.one(id),
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/councils/{id}", { params: { path: { id } }, signal })),
  });
}
export function useCouncilSuggestions(id: string) {
  return useQuery({
    queryKey: councilKeys.suggestions(id),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/councils/{id}/suggested-members", { params: { path: { id } }, signal })),
  });
}
export function useCouncilMeeting(id: string) {
  return useQuery({
    queryKey: councilKeys.meeting(id),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/council-meetings/{id}", { params: { path: { id } }, signal })),
  });
}

export function useCouncilMutations() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: councilKeys.all });
  return {
    create: useMutation({
      mutationFn: (body: TCouncilInput) => unwrap(api.POST("/api/v1/councils", { body })),
      onSuccess: refresh,
    }),
    addMember: useMutation({
      mutationFn: ({ id, contactId }: { id: string; contactId: string }) =>
        unwrap(api.POST("/api/v1/councils/{id}/members", { params: { path: { id } }, body: { contactId } })),
      onSuccess: refresh,
    }),
    schedule: useMutation({
      mutationFn: ({ id, startsAt }: { id: string; startsAt?: string }) =>
        unwrap(
          api.POST("/api/v1/councils/{id}/meetings", {
            params: { path: { id } },
            body: startsAt ? { startsAt } : {},
          }),
        ),
      onSuccess: refresh,
    }),
    updateMeeting: useMutation({
      mutationFn: ({
        id,
        ...body
      }: {
        id: string;
        minutes?: string | null;
        status?: "scheduled" | "held" | "cancelled";
      }) => unwrap(api.PATCH("/api/v1/council-meetings/{id}", { params: { path: { id } }, body })),
      onSuccess: refresh,
    }),
    addAgenda: useMutation({
      mutationFn: ({ id, ...body }: { id: string; title?: string; feedbackItemId?: string }) =>
        unwrap(api.POST("/api/v1/council-meetings/{id}/agenda", { params: { path: { id } }, body })),
      onSuccess: refresh,
    }),
    addAction: useMutation({
      mutationFn: ({
        id,
        ...body
      }: {
        id: string;
        kind: "task" | "feedback";
        title: string;
        dueAt?: string;
      }) => unwrap(api.POST("/api/v1/council-meetings/{id}/actions", { params: { path: { id } }, body })),
      onSuccess: () => {
        void refresh();
        void client.invalidateQueries({ queryKey: feedbackKeys.all });
      },
    }),
    attendance: useMutation({
      mutationFn: ({ id, contactId, attended }: { id: string; contactId: string; attended: boolean }) =>
        unwrap(
          api.PUT("/api/v1/council-meetings/{id}/attendance", {
            params: { path: { id } },
            body: { contactId, attended },
          }),
        ),
      onSuccess: refresh,
    }),
  };
}
