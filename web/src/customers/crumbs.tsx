import { IconChevronRight } from "@tabler/icons-react";
import { Fragment } from "react";
import { Link } from "react-router-dom";
import classes from "./crumbs.module.css";

/** The way back up: "Customers › Acme". The page's own name is its h1, so it is not repeated. */
export function Crumbs({ trail }: { trail: readonly { label: string; to: string }[] }) {
  return (
    <nav aria-label="Breadcrumb" className={classes.crumbs}>
      {trail.map((step, index) => (
        <Fragment key={step.to}>
          {index > 0 ? <IconChevronRight size={12} className={classes.separator} aria-hidden /> : null}
          <Link to={step.to}>{step.label}</Link>
        </Fragment>
      ))}
    </nav>
  );
}
