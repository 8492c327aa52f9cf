import { Anchor, Badge, Button, Group, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router-dom";
import { api, unwrap } from "../api/client";
import { feedbackKeys, kindColor, kindLabel, statusLabel } from "../surveys/api";
import { NewFeedbackDialog } from "../surveys/new-feedback-dialog";

/**
 * The case panel's feedback block: what the customer told us on this case that the business
 * should hear (a complaint, an idea, praise), recorded as a feedback item linked to the case's
 * contact and account so it reaches the board, the votes and — when done — closing the loop.
 */
export function CaseFeedback({ caseId, subject }: { caseId: string; subject: string }) {
  const [open, setOpen] = useState(false);
  const items = useQuery({
    queryKey: [...feedbackKeys.all, "case", caseId],
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/feedback", { params: { query: { caseId, limit: 20 } }, signal })),
  });
  const list = items.data?.items ?? [];
  return (
    <div data-testid="case-feedback">
      {list.length > 0 ? (
        <Stack gap={4} mb={6}>
          {list.map((item) => (
            <Group key={item.id} gap={6} wrap="nowrap">
              <Badge size="xs" variant="light" color={kindColor[item.kind]}>
                {kindLabel[item.kind]}
              </Badge>
              <Anchor component={Link} to={`/feedback?item=${item.id}`} size="sm" lineClamp={1}>
                {item.title}
              </Anchor>
              <Text size="xs" c="dimmed">
                {statusLabel[item.status]}
              </Text>
            </Group>
          ))}
        </Stack>
      ) : null}
      <Button variant="default" size="xs" onClick={() => setOpen(true)}>
        Record feedback…
      </Button>
      {open ? <NewFeedbackDialog from={{ caseId, title: subject }} onClose={() => setOpen(false)} /> : null}
    </div>
  );
}
