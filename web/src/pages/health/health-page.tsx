import { Button, Skeleton, Tabs } from "@mantine/core";
import { IconLayoutKanban } from "@tabler/icons-react";
import { lazy, Suspense } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { areaByKey } from "../../app/areas";
import { Page } from "../../components/page";

// The charts (and their library) load with the area, not with the app.
const HealthOverview = lazy(() => import("./health-overview"));
const PlaysTab = lazy(() => import("./plays-tab"));
const ParetoTab = lazy(() => import("./pareto-tab"));
const ChurnTab = lazy(() => import("./churn-tab"));
const ReadyTab = lazy(() => import("./ready-tab"));
const WeightsTab = lazy(() => import("./weights-tab"));

const TABS = ["overview", "plays", "pareto", "churn", "ready", "weights"] as const;
type TTab = (typeof TABS)[number];

/** Health & retention: dashboards, plays, the Pareto view, churn, ready for an offer, the weights. */
export function HealthPage() {
  const area = areaByKey("health");
  const [params, setParams] = useSearchParams();
  const wanted = params.get("tab") as TTab | null;
  const tab: TTab = wanted && TABS.includes(wanted) ? wanted : "overview";
  const setTab = (next: string | null) =>
    setParams(
      (current) => {
        const u = new URLSearchParams(current);
        if (!next || next === "overview") u.delete("tab");
        else u.set("tab", next);
        return u;
      },
      { replace: true },
    );
  const fallback = <Skeleton height={240} radius="md" />;
  return (
    <Page
      title={area.label}
      icon={area.icon}
      actions={
        <Button
          component={Link}
          to="/pipeline"
          variant="default"
          size="sm"
          leftSection={<IconLayoutKanban size={16} aria-hidden />}
        >
          Pipeline
        </Button>
      }
    >
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="overview">Overview</Tabs.Tab>
          <Tabs.Tab value="plays">Retention plays</Tabs.Tab>
          <Tabs.Tab value="pareto">Pareto</Tabs.Tab>
          <Tabs.Tab value="churn">Churn</Tabs.Tab>
          <Tabs.Tab value="ready">Ready for an offer</Tabs.Tab>
          <Tabs.Tab value="weights">Weights</Tabs.Tab>
        </Tabs.List>
        <Suspense fallback={fallback}>
          <Tabs.Panel value="overview">
            <HealthOverview />
          </Tabs.Panel>
          <Tabs.Panel value="plays">
            <PlaysTab />
          </Tabs.Panel>
          <Tabs.Panel value="pareto">
            <ParetoTab />
          </Tabs.Panel>
          <Tabs.Panel value="churn">
            <ChurnTab />
          </Tabs.Panel>
          <Tabs.Panel value="ready">
            <ReadyTab />
          </Tabs.Panel>
          <Tabs.Panel value="weights">
            <WeightsTab />
          </Tabs.Panel>
        </Suspense>
      </Tabs>
    </Page>
  );
}
