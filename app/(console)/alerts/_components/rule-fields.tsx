import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { SOURCES, SOURCE_NAMES } from "@/lib/alerts/sources";
import { NoChannelsHint } from "./no-channels-hint";
import { RulePreview } from "./rule-preview";

export const OPERATORS = { gt: ">", gte: "≥", lt: "<", lte: "≤", eq: "=" } as const;

type RuleDefaults = {
  name: string;
  source: string;
  matchers: Record<string, string>;
  operator: string;
  threshold: number;
  forSeconds: number;
  severity: string;
  channelIds: string[];
  escalationPolicyId: string | null;
  description: string | null;
};

/** A rule's matchers as the form's one text field writes them: `label=value`, comma-separated. */
export const matcherText = (matchers: Record<string, string>) =>
  Object.entries(matchers)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");

/**
 * The fields of a rule, for the add form and each rule's edit form (`id` keeps their labels
 * apart), with the preview that replays them; `rule` fills them in for an edit.
 */
export function RuleFields({ id, rule, channels, policies }: { id: string; rule?: RuleDefaults; channels: Array<{ id: string; name: string; type: string }>; policies: Array<{ id: string; name: string; levels: unknown[] }> }) {
  return (
    <div className="grid w-full gap-3 md:grid-cols-3">
      <div className="space-y-1">
        <Label htmlFor={`${id}-name`}>Name</Label>
        <Input id={`${id}-name`} name="name" required maxLength={120} defaultValue={rule?.name} />
      </div>
      <div className="space-y-1">
        <Label htmlFor={`${id}-source`}>Source</Label>
        <Select id={`${id}-source`} name="source" defaultValue={rule?.source ?? "dead_letters"}>
          {SOURCE_NAMES.map((s) => (
            <option key={s} value={s}>
              {s} ({SOURCES[s].kind}): {SOURCES[s].help}
            </option>
          ))}
        </Select>
      </div>
      <div className="space-y-1">
        <Label htmlFor={`${id}-matcher`}>Matcher (label=value, optional)</Label>
        <Input id={`${id}-matcher`} name="matcher" placeholder="collection=docs" defaultValue={rule ? matcherText(rule.matchers) : undefined} />
      </div>
      <div className="space-y-1">
        <Label htmlFor={`${id}-operator`}>Operator</Label>
        <Select id={`${id}-operator`} name="operator" defaultValue={rule?.operator ?? "gt"}>
          {Object.entries(OPERATORS).map(([k, v]) => (
            <option key={k} value={k}>
              {k} ({v})
            </option>
          ))}
        </Select>
      </div>
      <div className="space-y-1">
        <Label htmlFor={`${id}-threshold`}>Threshold</Label>
        <Input id={`${id}-threshold`} name="threshold" inputMode="decimal" defaultValue={String(rule?.threshold ?? 0)} />
      </div>
      <div className="space-y-1">
        <Label htmlFor={`${id}-forSeconds`}>For (seconds)</Label>
        <Input id={`${id}-forSeconds`} name="forSeconds" inputMode="numeric" defaultValue={String(rule?.forSeconds ?? 0)} />
      </div>
      <div className="space-y-1">
        <Label htmlFor={`${id}-severity`}>Severity</Label>
        <Select id={`${id}-severity`} name="severity" defaultValue={rule?.severity ?? "warning"}>
          <option value="info">info</option>
          <option value="warning">warning</option>
          <option value="critical">critical</option>
        </Select>
      </div>
      <div className="space-y-1">
        <Label htmlFor={`${id}-channelIds`}>Channels</Label>
        <Select id={`${id}-channelIds`} name="channelIds" multiple defaultValue={rule?.channelIds}>
          {channels.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({c.type})
            </option>
          ))}
        </Select>
        <NoChannelsHint count={channels.length} />
      </div>
      <div className="space-y-1">
        <Label htmlFor={`${id}-escalationPolicyId`}>Escalation policy</Label>
        <Select id={`${id}-escalationPolicyId`} name="escalationPolicyId" defaultValue={rule?.escalationPolicyId ?? ""}>
          <option value="">none</option>
          {policies.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({p.levels.length} levels)
            </option>
          ))}
        </Select>
      </div>
      <div className="space-y-1 md:col-span-3">
        <Label htmlFor={`${id}-description`}>Description ({"{{collection}}"}, {"{{value}}"}, {"{{threshold}}"}, {"{{rule}}"})</Label>
        <Input id={`${id}-description`} name="description" maxLength={500} placeholder="{{collection}} has {{value}} dead letters" defaultValue={rule?.description ?? undefined} />
      </div>
      <RulePreview />
    </div>
  );
}
