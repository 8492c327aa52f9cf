import { Kbd } from "@mantine/core";
import { IconKeyboard } from "@tabler/icons-react";
import { NavLink } from "react-router-dom";
import { areas, canOpenArea, navSections } from "../app/areas";
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
                    <NavLink to={area.path} className={classes.link} onClick={onNavigate}>
                      <area.icon size={18} stroke={1.7} className={classes.icon} aria-hidden />
                      <span className={classes.label}>{area.label}</span>
                      {area.shortcut ? (
                        <span className={classes.hint} aria-hidden>
                          {area.shortcut.map((key) => (
                            <Kbd key={key}>{key.toUpperCase()}</Kbd>
                          ))}
                        </span>
                      ) : null}
                    </NavLink>
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
