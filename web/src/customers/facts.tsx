import type { ReactNode } from "react";
import classes from "./facts.module.css";

/** Key facts under a page title: small caps labels over values, wrapping as space allows. */
export function Facts({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <dl className={classes.facts} data-testid={testId}>
      {children}
    </dl>
  );
}

export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className={classes.fact}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
