import { Button, Loader, Text } from "@mantine/core";
import { IconHeartHandshake } from "@tabler/icons-react";
import { useState } from "react";
import caseClasses from "../pages/cases/case-screen.module.css";
import { useNow } from "../pages/cases/use-now";
import classes from "./activities.module.css";
import { ActivityRow } from "./activity-row";
import { useActivities } from "./api";

const SHOWN = 5;

/** The case's promises, tasks, calls and appointments: open ones first, then the latest done. */
export function CaseActivities({ caseId }: { caseId: string }) {
  const now = useNow();
  const [all, setAll] = useState(false);
  const list = useActivities({ caseId, sort: "dueAt" });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const open = items.filter((a) => a.status === "open");
  const finished = items
    .filter((a) => a.status !== "open")
    .sort((a, b) => (b.updatedAt > a.updatedAt ? 1 : -1));
  const ordered = [...open, ...finished];
  const shown = all ? ordered : ordered.slice(0, SHOWN);
  return (
    <section aria-labelledby="panel-activities" data-testid="case-activities">
      <div className={caseClasses.panelHeading} id="panel-activities">
        <IconHeartHandshake size={13} aria-hidden /> Promises &amp; follow-ups
      </div>
      {list.isPending ? (
        <Loader size="xs" aria-label="Loading promises and follow-ups" />
      ) : list.isError ? (
        <Text size="sm" role="alert">
          Could not be loaded: {list.error.message}
        </Text>
      ) : ordered.length === 0 ? (
        <Text size="sm" c="dimmed">
          No promises, calls or tasks yet.
        </Text>
      ) : (
        <>
          <ul className={classes.list} data-compact="">
            {shown.map((activity) => (
              <ActivityRow key={activity.id} activity={activity} now={now} showCase={false} />
            ))}
          </ul>
          {ordered.length > SHOWN ? (
            <Button variant="subtle" size="compact-xs" mt={4} onClick={() => setAll((value) => !value)}>
              {all ? "Show fewer" : `Show all ${ordered.length}${list.hasNextPage ? "+" : ""}`}
            </Button>
          ) : null}
        </>
      )}
    </section>
  );
}
