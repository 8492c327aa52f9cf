import { Button, Loader, Text } from "@mantine/core";
import { IconCalendarOff, IconPlus } from "@tabler/icons-react";
import { Link } from "react-router-dom";
import { PageMessage } from "../../components/page";
import { useCalendars, usePolicies } from "../../sla/api";
import classes from "./admin.module.css";
import { AdminFrame } from "./admin-page";
import { summarizeHours } from "./calendar-model";

/** Business calendars: the working hours and holidays SLA clocks count in. */
export function CalendarsPage() {
  const { calendars, isPending, isError, error } = useCalendars();
  const { policies } = usePolicies();
  return (
    <AdminFrame
      title="Business calendars"
      actions={
        <Button
          component={Link}
          to="/admin/calendars/new"
          size="xs"
          leftSection={<IconPlus size={14} aria-hidden />}
        >
          New calendar
        </Button>
      }
    >
      <p className={classes.lead}>
        SLA clocks count business time only: the working hours of the policy's calendar, in its time zone,
        minus holidays. A case that arrives on Friday evening under “Mon–Fri 9–17” starts counting on Monday
        at 9:00.
      </p>
      {isPending ? (
        <Loader size="sm" aria-label="Loading calendars" />
      ) : isError ? (
        <Text role="alert">Calendars could not be loaded: {error.message}</Text>
      ) : calendars.length === 0 ? (
        <PageMessage
          icon={IconCalendarOff}
          title="No business calendars yet"
          action={
            <Button component={Link} to="/admin/calendars/new" variant="light" mt="xs">
              Create the first calendar
            </Button>
          }
        >
          Every SLA policy counts time in a calendar. Start with your support team's opening hours.
        </PageMessage>
      ) : (
        <table className={classes.table} aria-label="Business calendars">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Time zone</th>
              <th scope="col">Working hours</th>
              <th scope="col">Holidays</th>
              <th scope="col">Used by</th>
            </tr>
          </thead>
          <tbody>
            {calendars.map((calendar) => {
              const users = policies.filter((policy) => policy.calendarId === calendar.id);
              return (
                <tr key={calendar.id}>
                  <td>
                    <Link to={`/admin/calendars/${calendar.id}`} className={classes.rowLink}>
                      {calendar.name}
                    </Link>
                  </td>
                  <td>{calendar.timeZone.replaceAll("_", " ")}</td>
                  <td>{summarizeHours(calendar.hours)}</td>
                  <td>{calendar.holidays.length || <span className={classes.muted}>none</span>}</td>
                  <td>
                    {users.length ? (
                      users.map((policy) => policy.name).join(", ")
                    ) : (
                      <span className={classes.muted}>no policy</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </AdminFrame>
  );
}
