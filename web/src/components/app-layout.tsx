import { ActionIcon, AppShell, Burger, Tooltip } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconKeyboard } from "@tabler/icons-react";
import { type CSSProperties, useMemo, useRef } from "react";
import { Link, Outlet, useNavigate } from "react-router-dom";
import { areaByKey } from "../app/areas";
import { useLiveUpdates } from "../live/live-updates";
import { NotificationBell } from "../notifications/notification-bell";
import classes from "./app-layout.module.css";
import { GlobalSearch } from "./global-search";
import { type TShortcut, useKeyboardShortcuts, useSingleKeyShortcutsSetting } from "./keyboard-shortcuts";
import { AnnouncerProvider } from "./live-region";
import { Wordmark } from "./logo-mark";
import { MainNav } from "./main-nav";
import { PageSearchProvider } from "./page-search";
import { RouteAnnouncer } from "./route-announcer";
import { ShortcutSheet } from "./shortcut-sheet";
import { UserMenu } from "./user-menu";

const NAVBAR_WIDTH = 244;
const HEADER_HEIGHT = 56;

/** The signed-in frame: header with search and account, navigation, and the page. */
export function AppLayout() {
  const [navOpened, nav] = useDisclosure(false);
  const [sheetOpened, sheet] = useDisclosure(false);
  const [singleKeys] = useSingleKeyShortcutsSetting();
  const searchRef = useRef<HTMLInputElement>(null);
  // A page's own search box, when it has one (see usePageSearch), wins over the header's.
  const pageSearchRef = useRef<HTMLInputElement | null>(null);
  const navigate = useNavigate();
  useLiveUpdates();

  const shortcuts = useMemo<TShortcut[]>(
    () => [
      { keys: areaByKey("cases").shortcut ?? [], run: () => navigate(areaByKey("cases").path) },
      { keys: areaByKey("myDay").shortcut ?? [], run: () => navigate(areaByKey("myDay").path) },
      { keys: areaByKey("incidents").shortcut ?? [], run: () => navigate(areaByKey("incidents").path) },
      {
        keys: ["/"],
        run: () => {
          const target = pageSearchRef.current?.isConnected ? pageSearchRef.current : searchRef.current;
          target?.focus();
          target?.select();
        },
      },
      { keys: ["?"], run: sheet.open },
    ],
    [navigate, sheet.open],
  );
  useKeyboardShortcuts(shortcuts, singleKeys);

  return (
    <AnnouncerProvider>
      <a href="#main" className="kd-skip-link">
        Skip to main content
      </a>
      <AppShell
        header={{ height: HEADER_HEIGHT }}
        navbar={{ width: NAVBAR_WIDTH, breakpoint: "sm", collapsed: { mobile: !navOpened } }}
        padding={0}
        style={{ "--kd-navbar-width": `${NAVBAR_WIDTH}px` } as CSSProperties}
      >
        <AppShell.Header>
          <div className={classes.header}>
            <Burger
              opened={navOpened}
              onClick={nav.toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={navOpened ? "Close navigation" : "Open navigation"}
              aria-controls="kd-navbar"
              aria-expanded={navOpened}
            />
            <Link to="/cases" className={classes.brand} aria-label="Keepdesk home">
              <Wordmark size={26} hideNameBelow="xs" />
            </Link>
            <GlobalSearch ref={searchRef} className={classes.search} />
            <div className={classes.actions}>
              <Tooltip label="Keyboard shortcuts (?)">
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  size={36}
                  radius="md"
                  onClick={sheet.open}
                  aria-label="Keyboard shortcuts"
                  visibleFrom="sm"
                >
                  <IconKeyboard size={20} stroke={1.6} />
                </ActionIcon>
              </Tooltip>
              <NotificationBell />
              <UserMenu onShowShortcuts={sheet.open} />
            </div>
          </div>
        </AppShell.Header>
        <AppShell.Navbar id="kd-navbar" aria-label="Main">
          <MainNav onNavigate={nav.close} onShowShortcuts={sheet.open} />
        </AppShell.Navbar>
        <AppShell.Main id="main" tabIndex={-1} className={classes.main}>
          <PageSearchProvider target={pageSearchRef}>
            <Outlet />
          </PageSearchProvider>
        </AppShell.Main>
      </AppShell>
      <ShortcutSheet opened={sheetOpened} onClose={sheet.close} />
      <RouteAnnouncer />
    </AnnouncerProvider>
  );
}
