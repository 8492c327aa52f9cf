import { Group, Stack, Text, ThemeIcon, Title } from "@mantine/core";
import type { TablerIcon } from "@tabler/icons-react";
import type { ReactNode } from "react";
import classes from "./page.module.css";
import { usePageTitle } from "./use-page-title";

/** The frame of every page in the shell: a header strip with the page's one h1, then content. */
export function Page({
  title,
  icon: Icon,
  actions,
  above,
  titleAside,
  below,
  flush = false,
  children,
}: {
  title: string;
  icon?: TablerIcon;
  actions?: ReactNode;
  /** A line above the title: breadcrumbs back to the list. */
  above?: ReactNode;
  /** Beside the title: tier and health badges. */
  titleAside?: ReactNode;
  /** Under the title, inside the header: key facts. */
  below?: ReactNode;
  /** No padding around the content: for full-width tables and tabs. */
  flush?: boolean;
  children: ReactNode;
}) {
  usePageTitle(title);
  const titleRow = (
    <div className={classes.titleRow}>
      <Group gap={10} wrap="nowrap" miw={0}>
        {Icon ? <Icon size={20} stroke={1.7} className={classes.titleIcon} aria-hidden /> : null}
        <Title order={1} fz={18} fw={650} lh={1.3} className={classes.title}>
          {title}
        </Title>
        {titleAside}
      </Group>
      {actions}
    </div>
  );
  return (
    <>
      {above || below ? (
        <div className={classes.header} data-rich="">
          {above ? <div className={classes.above}>{above}</div> : null}
          {titleRow}
          {below}
        </div>
      ) : (
        <div className={classes.header}>{titleRow}</div>
      )}
      <div className={flush ? undefined : classes.body}>{children}</div>
    </>
  );
}

/** A calm, centred message where a page's content will be: not built yet, no access, not found. */
export function PageMessage({
  icon: Icon,
  title,
  children,
  action,
}: {
  icon: TablerIcon;
  title: string;
  children: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className={classes.placeholder}>
      <Stack align="center" gap="sm">
        <ThemeIcon size={52} radius="xl" variant="light" aria-hidden>
          <Icon size={26} stroke={1.6} />
        </ThemeIcon>
        <Title order={2} fz={17} fw={650} mt={4}>
          {title}
        </Title>
        <Text c="dimmed" fz={14} lh={1.6} maw={420}>
          {children}
        </Text>
        {action}
      </Stack>
    </div>
  );
}
