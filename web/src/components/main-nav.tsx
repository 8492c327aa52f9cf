import { Kbd } from "@mantine/core";
import { IconKeyboard } from "@tabler/icons-react";
import { Link, NavLink, useLocation } from "react-router-dom";
import { areas, canOpenArea, navSections, type TArea } from "../app/areas";
import { useCurrentUser } from "../auth/session";
import classes from "./main-nav.module.css";

export function MainNav({
  onNavigate,
  onShowShortcuts,
}: {
  onNavigate: () => void;
  onShowShortcuts: () => void;
}) {
  const user = useCurrentUser();
  const visible = areas.filter((area) => canOpenArea(area, user.role));
  const { pathname } = useLocation();

  return (
    <div className={classes.nav}>
      <div className={classes.sections}>
        {navSections.map((section) => {
          const items = visible.filter((area) => area.section === section.key);
          if (items.length === 0) return null;
          const labelId = `nav-section-${section.key}`;
          return (
            <div key={section.key} className={classes.section}>
              <div id={labelId} className={classes.sectionLabel}>
                {section.label}
              </div>
              <ul className={classes.list} aria-labelledby={labelId}>
                {items.map((area) => (
                  <li key={area.key}>
                    {isAlsoActiveOn(area, pathname) ? (
                      // A page of the area under another path (a contact): NavLink would not mark it.
                      <Link to={area.path} className={classes.link} onClick={onNavigate} aria-current="page">
                        <NavItem area={area} />
                      </Link>
                    ) : (
                      <NavLink to={area.path} className={classes.link} onClick={onNavigate}>
                        <NavItem area={area} />
                      </NavLink>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
      </div>
      <div className={classes.footer}>
        <button type="button" className={classes.footerButton} onClick={onShowShortcuts}>
          <IconKeyboard size={18} stroke={1.7} className={classes.icon} aria-hidden />
          <span className={classes.label}>Keyboard shortcuts</span>
          <Kbd aria-hidden>?</Kbd>
        </button>
      </div>
    </div>
  );
}

function NavItem({ area }: { area: TArea }) {
  return (
    <>
      <area.icon size={18} stroke={1.7} className={classes.icon} aria-hidden />
      <span className={classes.label}>{area.label}</span>
      {area.shortcut ? (
        <span className={classes.hint} aria-hidden>
          {area.shortcut.map((key) => (
            <Kbd key={key}>{key.toUpperCase()}</Kbd>
          ))}
        </span>
      ) : null}
    </>
  );
}

function isAlsoActiveOn(area: TArea, pathname: string): boolean {
  return (area.alsoActiveOn ?? []).some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}
