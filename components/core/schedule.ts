/**
 * One tenant schedule, written once as a five-field Unix cron expression (UTC), and rendered in
 * the dialect of each scheduler: Kubernetes CronJob and Cloud Scheduler take it as is, Azure
 * Functions timers want NCRONTAB (a leading seconds field) and EventBridge Scheduler wants
 * `cron(min hour dom month dow year)` with one of the day fields set to `?`.
 */

const FIELDS = [
  { name: "minute", min: 0, max: 59, names: [] as string[] },
  { name: "hour", min: 0, max: 23, names: [] as string[] },
  { name: "day of month", min: 1, max: 31, names: [] as string[] },
  {
    name: "month",
    min: 1,
    max: 12,
    names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
  },
  { name: "day of week", min: 0, max: 7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
];

/** Returns the problems with a five-field cron expression; an empty list means it is valid. */
export function cronProblems(expr: string): string[] {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) {
    return [
      `has ${parts.length} fields; write five: minute hour day-of-month month day-of-week (e.g. "0 6 * * *")`,
    ];
  }
  const problems: string[] = [];
  parts.forEach((part, i) => {
    const field = FIELDS[i];
    for (const item of part.split(",")) {
      if (!validItem(item, field))
        problems.push(`${field.name} "${item}" is not valid (${field.min}-${field.max})`);
    }
  });
  return problems;
}

function validItem(item: string, field: (typeof FIELDS)[number]): boolean {
  const [range, step, ...rest] = item.split("/");
  if (rest.length > 0) return false;
  if (step !== undefined && !/^[1-9][0-9]*$/.test(step)) return false;
  if (range === "*") return true;
  const bounds = range.split("-");
  if (bounds.length > 2) return false;
  const values = bounds.map((b) => toNumber(b, field));
  if (values.some((v) => v === undefined || v < field.min || v > field.max)) return false;
  return values.length === 1 || (values[0] as number) <= (values[1] as number);
}

function toNumber(token: string, field: (typeof FIELDS)[number]): number | undefined {
  if (/^[0-9]+$/.test(token)) return Number(token);
  const index = field.names.indexOf(token.toLowerCase());
  if (index < 0) return undefined;
  return field.name === "month" ? index + 1 : index;
}

/**
 * The problems of a tenant schedule: a valid five-field cron that every scheduler Costline renders
 * it for can express (EventBridge cannot set both day fields). TenantConfig asks this, so that a
 * schedule it accepts always renders.
 */
export function scheduleProblems(expr: string): string[] {
  const problems = cronProblems(expr);
  if (problems.length) return problems;
  const [, , dom, , dow] = expr.trim().split(/\s+/);
  return dom !== "*" && dow !== "*" ? [EVENTBRIDGE_DAYS] : [];
}

const EVENTBRIDGE_DAYS =
  'sets both day of month and day of week, which AWS EventBridge cannot express (and cron reads as "either"): set one of them to "*"';

function fields(expr: string): string[] {
  const problems = cronProblems(expr);
  if (problems.length > 0) throw new Error(`invalid cron "${expr}": ${problems.join("; ")}`);
  return expr.trim().split(/\s+/);
}

/** The same schedule for Kubernetes CronJobs and Cloud Scheduler (Unix cron). */
export function toUnixCron(expr: string): string {
  return fields(expr).join(" ");
}

/** The same schedule as an Azure Functions NCRONTAB expression (seconds first). */
export function toNcrontab(expr: string): string {
  return `0 ${fields(expr).join(" ")}`;
}

/** The same schedule as an EventBridge Scheduler expression; day-of-week numbers shift to 1 = Sunday. */
export function toEventBridgeCron(expr: string): string {
  const [minute, hour, dom, month, dow] = fields(expr);
  if (dom !== "*" && dow !== "*") throw new Error(`schedule "${expr}" ${EVENTBRIDGE_DAYS}`);
  const shiftedDow = dow.split(",").map(shiftDayOfWeek).join(",");
  return dow === "*"
    ? `cron(${minute} ${hour} ${dom} ${month} ? *)`
    : `cron(${minute} ${hour} ? ${month} ${shiftedDow} *)`;
}

/** Unix counts Sunday as 0 or 7, EventBridge as 1; a range that ends on Sunday 7 wraps to 1. */
function shiftDayOfWeek(item: string): string {
  const [range, step] = item.split("/");
  const suffix = step === undefined ? "" : `/${step}`;
  const match = /^([0-9])(?:-([0-9]))?$/.exec(range);
  if (!match) return item; // "*" and day names mean the same in both dialects
  const from = Number(match[1]) % 7;
  if (match[2] === undefined) return `${from + 1}${suffix}`;
  const to = Number(match[2]);
  if (to === 7 && from > 0) return `${from + 1}-7${suffix},1`;
  return `${from + 1}-${(to % 7) + 1 + (to === 7 ? 6 : 0)}${suffix}`;
}
