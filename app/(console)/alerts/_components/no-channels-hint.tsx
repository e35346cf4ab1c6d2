/** Under an empty channel picker: it looks like a blank box otherwise. */
export function NoChannelsHint({ count }: { count: number }) {
  return count === 0 ? <p className="text-xs text-muted-foreground">No channels yet: add one under Channels.</p> : null;
}
