import { ComingSoon } from "@/components/ui/coming-soon";

export const metadata = { title: "Backups · Stevedore" };

export default function BackupsPage() {
  return (
    <ComingSoon
      title="Backups"
      description="Streamed, checksummed backups of collections."
      items={["Backups with size, point count, checksum and status", "Start a full or schema-only backup", "Restore into a new collection or merge into an existing one"]}
    />
  );
}
