import { Button } from "@mantine/core";
import { IconCompass } from "@tabler/icons-react";
import { Link } from "react-router-dom";
import { Page, PageMessage } from "../../components/page";

export function NotFoundPage() {
  return (
    <Page title="Page not found">
      <PageMessage
        icon={IconCompass}
        title="There's nothing at this address"
        action={
          <Button component={Link} to="/cases" variant="light" mt="xs">
            Go to Inbox
          </Button>
        }
      >
        The link may be mistyped or out of date.
      </PageMessage>
    </Page>
  );
}
