import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { DAY_NAMES } from "./relative-time";

const DURATIONS = [
  [1, "1 hour"],
  [2, "2 hours"],
  [4, "4 hours"],
  [8, "8 hours"],
  [24, "1 day"],
  [72, "3 days"],
  [168, "1 week"],
  [720, "30 days"],
] as const;

/** Start, length and an optional weekly recurrence, shared by the silence and the window forms. */
export function ScheduleFields({ prefix }: { prefix: string }) {
  return (
    <>
      <div className="space-y-1">
        <Label htmlFor={`${prefix}-start`}>Starts (UTC, empty: now)</Label>
        <Input id={`${prefix}-start`} name="startsAt" type="datetime-local" />
      </div>
      <div className="space-y-1">
        <Label htmlFor={`${prefix}-hours`}>Lasts (weekly: recurs for)</Label>
        <Select id={`${prefix}-hours`} name="hours" defaultValue="2">
          {DURATIONS.map(([h, label]) => (
            <option key={h} value={h}>
              {label}
            </option>
          ))}
        </Select>
      </div>
      <fieldset className="space-y-1 md:col-span-2">
        <legend className="text-sm font-medium">Weekly, only on (none ticked: the whole time)</legend>
        <div className="flex flex-wrap items-center gap-3 text-sm">
          {DAY_NAMES.map((d, i) => (
            <label key={d} className="flex items-center gap-1">
              <input type="checkbox" name="days" value={i} /> {d}
            </label>
          ))}
          <Label htmlFor={`${prefix}-from`}>from</Label>
          <Input id={`${prefix}-from`} name="from" type="time" defaultValue="22:00" className="w-28" />
          <Label htmlFor={`${prefix}-to`}>to</Label>
          <Input id={`${prefix}-to`} name="to" type="time" defaultValue="02:00" className="w-28" />
          <Label htmlFor={`${prefix}-tz`}>time zone</Label>
          <Input id={`${prefix}-tz`} name="timezone" defaultValue="UTC" className="w-44" />
        </div>
      </fieldset>
    </>
  );
}
