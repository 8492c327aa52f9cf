import { Badge, Button, Group, Loader, Switch, Text, Tooltip } from "@mantine/core";
import { IconPlus, IconRoute } from "@tabler/icons-react";
import { useState } from "react";
import { Link } from "react-router-dom";
import { PageMessage } from "../../components/page";
import { type TTestResult, usePatchRule, useRoutingRules } from "../../routing/api";
import routing from "../../routing/routing.module.css";
import { actionsSummary, conditionsSummary, unreachable } from "../../routing/rule-model";
import { RuleTester } from "../../routing/rule-tester";
import { useRoutingNames } from "../../routing/use-names";
import classes from "./admin.module.css";
import { AdminFrame } from "./admin-page";
import { MoveButtons, useOrderedRules } from "./ordered-rules";

/** Routing rules in evaluation order, with the sample-case tester beside them. */
export function RoutingRulesPage() {
  const { rules, isPending, isError, error } = useRoutingRules();
  const names = useRoutingNames();
  const patch = usePatchRule();
  const { moving, move, toggle } = useOrderedRules(rules, (change) => patch.mutateAsync(change));
  const [tested, setTested] = useState<TTestResult | null>(null);
  const matched = new Set(tested?.matched.map((m) => m.ruleId) ?? []);
  const dead = unreachable(rules);
  const active = rules.filter((rule) => rule.active);
  const positionOf = new Map(active.map((rule, i) => [rule.id, i + 1]));

  return (
    <AdminFrame
      title="Routing rules"
      actions={
        <Button
          component={Link}
          to="/admin/routing-rules/new"
          size="xs"
          leftSection={<IconPlus size={14} aria-hidden />}
        >
          New rule
        </Button>
      }
    >
      <p className={classes.lead}>
        When a case arrives, the active rules are checked from the top: the first whose conditions all hold
        places it (queue, team, priority, owner, tags), unless it says to continue. What the person creating a
        case sets by hand wins. The queue's strategy then picks the agent. Every case shows which rule placed
        it and why.
      </p>
      <div className={routing.split}>
        <div>
          {isPending ? (
            <Loader size="sm" aria-label="Loading routing rules" />
          ) : isError ? (
            <Text role="alert">Routing rules could not be loaded: {error.message}</Text>
          ) : rules.length === 0 ? (
            <PageMessage
              icon={IconRoute}
              title="No routing rules yet"
              action={
                <Button component={Link} to="/admin/routing-rules/new" variant="light" mt="xs">
                  Create the first rule
                </Button>
              }
            >
              Without rules, cases land where whoever creates them puts them. Start with a rule for every case
              (no conditions) at the bottom, then more specific ones above it.
            </PageMessage>
          ) : (
            <table className={classes.table} aria-label="Routing rules in evaluation order">
              <thead>
                <tr>
                  <th scope="col" className={classes.num}>
                    #
                  </th>
                  <th scope="col">Name</th>
                  <th scope="col">When</th>
                  <th scope="col">Then</th>
                  <th scope="col">Active</th>
                  <th scope="col">Move</th>
                </tr>
              </thead>
              <tbody>
                {rules.map((rule, index) => (
                  <tr
                    key={rule.id}
                    data-inactive={rule.active ? undefined : ""}
                    data-testid="routing-rule-row"
                    className={matched.has(rule.id) ? routing.matchedRow : undefined}
                  >
                    <td className={classes.num}>
                      <span className={routing.position} title={`Order ${rule.order}`}>
                        {positionOf.get(rule.id) ?? "–"}
                      </span>
                    </td>
                    <td>
                      <Link to={`/admin/routing-rules/${rule.id}`} className={classes.rowLink}>
                        {rule.name}
                      </Link>
                      <Group gap={4} mt={2}>
                        {rule.continue ? (
                          <Badge size="xs" variant="light" color="blue">
                            continues
                          </Badge>
                        ) : null}
                        {matched.has(rule.id) ? (
                          <Badge size="xs" variant="light" color="green">
                            matches
                          </Badge>
                        ) : null}
                        {dead.has(rule.id) ? (
                          <Tooltip label="A rule above it catches every case and stops">
                            <Badge size="xs" variant="light" color="orange">
                              never reached
                            </Badge>
                          </Tooltip>
                        ) : null}
                      </Group>
                    </td>
                    <td>{conditionsSummary(rule.when, names)}</td>
                    <td>{actionsSummary(rule.then, names)}</td>
                    <td>
                      <Switch
                        checked={rule.active}
                        onChange={(event) => void toggle(rule, event.currentTarget.checked)}
                        aria-label={`${rule.name} active`}
                      />
                    </td>
                    <td>
                      <MoveButtons
                        name={rule.name}
                        index={index}
                        count={rules.length}
                        disabled={moving}
                        onMove={(at, delta) => void move(at, delta)}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div className={classes.card}>
          <RuleTester names={names} onResult={setTested} />
        </div>
      </div>
    </AdminFrame>
  );
}
