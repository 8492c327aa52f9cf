import { Button, Group, NumberInput, SimpleGrid, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useEffect, useState } from "react";
import { useCurrentUser } from "../../auth/session";
import { KIND_LABELS, type THealthSettings, useHealthSettings, useUpdateSettings } from "../../health/api";

/** The weight table and formula parameters; admins and managers change them, everyone reads them. */
export default function WeightsTab() {
  const user = useCurrentUser();
  const settings = useHealthSettings();
  const update = useUpdateSettings();
  const [draft, setDraft] = useState<THealthSettings | null>(null);
  useEffect(() => {
    if (settings.data && !draft) setDraft(settings.data);
  }, [settings.data, draft]);
  const mayEdit = user.role === "admin" || user.role === "manager";
  if (!draft) return <Text c="dimmed">{settings.error?.message ?? "Loading…"}</Text>;
  const weights = draft.weights as Record<string, number>;
  const num = (label: string, value: number, onChange: (n: number) => void, extra: object = {}) => (
    <NumberInput
      label={label}
      value={value}
      onChange={(v) => onChange(typeof v === "number" ? v : Number(v))}
      disabled={!mayEdit}
      size="xs"
      decimalScale={2}
      {...extra}
    />
  );
  return (
    <form
      data-testid="weights-tab"
      onSubmit={(e) => {
        e.preventDefault();
        update.mutate(draft, {
          onSuccess: (saved) => {
            setDraft(saved);
            notifications.show({
              message: "Weights saved: they apply to new entries (rebuild to apply to history)",
            });
          },
          onError: (err) => notifications.show({ color: "red", message: err.message }),
        });
      }}
    >
      <Text size="sm" c="dimmed" mb="sm">
        Every entry's weight halves every {draft.halfLifeDays} days. Score = 100 · σ(balance / {draft.scale} +
        logit(
        {draft.neutralScore}%)): an empty ledger scores {draft.neutralScore}.
        {mayEdit ? "" : " Only admins and managers change these."}
      </Text>
      <Title order={3} size="h5">
        Weights
      </Title>
      <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }} mt="xs">
        {Object.keys(weights).map((k) =>
          num(
            KIND_LABELS[k] ?? k,
            weights[k]!,
            (n) => setDraft({ ...draft, weights: { ...draft.weights, [k]: n } }),
            {
              key: k,
              min: -100,
              max: 100,
            },
          ),
        )}
      </SimpleGrid>
      <Title order={3} size="h5" mt="lg">
        Fading, bands and moments that matter
      </Title>
      <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }} mt="xs">
        {num("Half-life (days)", draft.halfLifeDays, (n) => setDraft({ ...draft, halfLifeDays: n }), {
          min: 1,
        })}
        {num("Enter at risk below", draft.bands.atRiskEnter, (n) =>
          setDraft({ ...draft, bands: { ...draft.bands, atRiskEnter: n } }),
        )}
        {num("Leave at risk above", draft.bands.atRiskLeave, (n) =>
          setDraft({ ...draft, bands: { ...draft.bands, atRiskLeave: n } }),
        )}
        {num("Enter watch below", draft.bands.watchEnter, (n) =>
          setDraft({ ...draft, bands: { ...draft.bands, watchEnter: n } }),
        )}
        {num("Healthy again above", draft.bands.watchLeave, (n) =>
          setDraft({ ...draft, bands: { ...draft.bands, watchLeave: n } }),
        )}
        {num("Onboarding days", draft.moments.onboardingDays, (n) =>
          setDraft({ ...draft, moments: { ...draft.moments, onboardingDays: n } }),
        )}
        {num("Onboarding ×", draft.moments.onboardingMultiplier, (n) =>
          setDraft({ ...draft, moments: { ...draft.moments, onboardingMultiplier: n } }),
        )}
        {num("First cases", draft.moments.firstCases, (n) =>
          setDraft({ ...draft, moments: { ...draft.moments, firstCases: n } }),
        )}
        {num("First cases ×", draft.moments.firstCasesMultiplier, (n) =>
          setDraft({ ...draft, moments: { ...draft.moments, firstCasesMultiplier: n } }),
        )}
        {num("Play on a drop of (points)", draft.plays.dropPoints, (n) =>
          setDraft({ ...draft, plays: { ...draft.plays, dropPoints: n } }),
        )}
        {num("… within (days)", draft.plays.dropDays, (n) =>
          setDraft({ ...draft, plays: { ...draft.plays, dropDays: n } }),
        )}
      </SimpleGrid>
      {mayEdit ? (
        <Group mt="md">
          <Button type="submit" loading={update.isPending}>
            Save weights
          </Button>
          <Button variant="default" onClick={() => setDraft(settings.data ?? null)}>
            Reset
          </Button>
        </Group>
      ) : null}
    </form>
  );
}
