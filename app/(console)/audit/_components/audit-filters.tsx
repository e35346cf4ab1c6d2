import Link from "next/link";
import { Button, buttonVariants } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";

/** A plain GET form: the filter lives in the URL, so a filtered view can be bookmarked and shared. */
export function AuditFilters({ values, actions }: { values: Record<string, string>; actions: readonly string[] }) {
  return (
    <form method="get" action="/audit" className="mb-4 grid gap-3 md:grid-cols-4 lg:grid-cols-8" aria-label="Filter audit log">
      <div className="space-y-1 lg:col-span-2">
        <Label htmlFor="f-actor">Actor e-mail</Label>
        <Input id="f-actor" name="actor" defaultValue={values.actor} />
      </div>
      <div className="space-y-1">
        <Label htmlFor="f-action">Action</Label>
        <Select id="f-action" name="action" defaultValue={values.action ?? ""}>
          <option value="">any</option>
          {actions.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </Select>
      </div>
      <div className="space-y-1">
        <Label htmlFor="f-target-type">Target type</Label>
        <Input id="f-target-type" name="targetType" defaultValue={values.targetType} placeholder="user" />
      </div>
      <div className="space-y-1">
        <Label htmlFor="f-target-id">Target id</Label>
        <Input id="f-target-id" name="targetId" defaultValue={values.targetId} />
      </div>
      <div className="space-y-1">
        <Label htmlFor="f-outcome">Outcome</Label>
        <Select id="f-outcome" name="outcome" defaultValue={values.outcome ?? ""}>
          <option value="">any</option>
          <option value="success">success</option>
          <option value="failure">failure</option>
          <option value="denied">denied</option>
        </Select>
      </div>
      <div className="space-y-1">
        <Label htmlFor="f-from">From (UTC)</Label>
        <Input id="f-from" name="from" type="datetime-local" defaultValue={values.from} />
      </div>
      <div className="space-y-1">
        <Label htmlFor="f-to">To (UTC)</Label>
        <Input id="f-to" name="to" type="datetime-local" defaultValue={values.to} />
      </div>
      <div className="flex items-end gap-2 md:col-span-4 lg:col-span-8">
        <Button type="submit">Apply filters</Button>
        <Link href="/audit" className={buttonVariants({ variant: "ghost" })}>
          Clear
        </Link>
      </div>
    </form>
  );
}
