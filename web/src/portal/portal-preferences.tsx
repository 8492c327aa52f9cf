import { Switch, Text } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError } from "../api/problem";
import classes from "./portal.module.css";
import { portalApi } from "./portal-api";

const KEY = ["portal", "preferences"] as const;

async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (cause) {
    throw ApiError.network(cause);
  }
  if (!result.response.ok) throw ApiError.fromResponse(result.response, result.error);
  return result.data as T;
}

/** The contact's own choice: announcements of new services by email, or not. */
export function PortalPreferences() {
  const qc = useQueryClient();
  const prefs = useQuery({
    queryKey: KEY,
    queryFn: ({ signal }) => unwrap(portalApi.GET("/api/v1/portal/preferences", { signal })),
  });
  const set = useMutation({
    mutationFn: (announcements: boolean) =>
      unwrap(portalApi.PUT("/api/v1/portal/preferences", { body: { announcements } })),
    onSuccess: (data) => qc.setQueryData(KEY, data),
  });
  if (!prefs.data) return null;
  return (
    <section className={classes.card} aria-labelledby="portal-prefs-title" data-testid="portal-preferences">
      <Text id="portal-prefs-title" fw={650} mb={8} component="h2" fz={16}>
        Email from us
      </Text>
      <Switch
        label="Tell me about new services"
        description="Occasional announcements. Replies about your requests always reach you."
        checked={prefs.data.announcements}
        disabled={set.isPending}
        onChange={(e) => set.mutate(e.currentTarget.checked)}
        size="md"
      />
      {set.isError ? (
        <Text c="red" size="sm" role="alert" mt={6}>
          {set.error.message}
        </Text>
      ) : null}
    </section>
  );
}
