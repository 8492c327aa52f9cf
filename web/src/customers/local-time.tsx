import { Text } from "@mantine/core";
import { useEffect, useState } from "react";
import { describeZoneDifference, formatLocalTime } from "./format";

/** The current time, re-read at the start of every minute (one timer per mounted clock). */
export function useMinuteClock(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    let timer: number;
    const schedule = () => {
      const msToNextMinute = 60_000 - (Date.now() % 60_000) + 50;
      timer = window.setTimeout(() => {
        setNow(new Date());
        schedule();
      }, msToNextMinute);
    };
    schedule();
    return () => window.clearTimeout(timer);
  }, []);
  return now;
}

/** "Tue 14:05 · 3h ahead of you" for someone in `timeZone`. */
export function LocalTime({
  timeZone,
  withDifference = true,
}: {
  timeZone: string;
  withDifference?: boolean;
}) {
  const now = useMinuteClock();
  const time = formatLocalTime(timeZone, now);
  if (!time) return <>{timeZone}</>;
  const difference = withDifference ? describeZoneDifference(timeZone, now) : null;
  return (
    <span>
      <time dateTime={now.toISOString()}>{time}</time>
      {difference ? (
        <Text component="span" c="dimmed" fz="inherit">
          {" "}
          · {difference}
        </Text>
      ) : null}
    </span>
  );
}
