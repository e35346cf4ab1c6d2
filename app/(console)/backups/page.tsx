import { PageHeader } from "@/components/ui/page-header";
import { pageContext } from "@/lib/auth/actor";
import { can } from "@/lib/auth/rbac";
import { asJson } from "@/lib/query/fetch-json";
import { listBackups } from "@/lib/services/backup/manage";
import { backupOverview } from "@/lib/services/backup/schedule";
import { BackupFlags } from "./_components/backup-flags";
import { BackupsTable } from "./_components/backups-table";
import { ImportBackupForm } from "./_components/import-backup-form";
import { SchedulesTable } from "./_components/schedules-table";

export const metadata = { title: "Backups · Stevedore" };

export default async function BackupsPage({ searchParams }: { searchParams: Promise<{ collectionId?: string | string[] }> }) {
  const ctx = await pageContext();
  const { collectionId } = await searchParams;
  const filter = typeof collectionId === "string" && collectionId ? collectionId : "";
  const [initial, overview] = await Promise.all([listBackups({ ctx, input: { collectionId: filter, limit: 200 } }), backupOverview({ ctx })]);
  const role = ctx.actor.role;
  const collections = overview.map((c) => ({ id: c.collectionId, name: c.name }));
  return (
    <>
      <PageHeader title="Backups" description="Streamed, checksummed backups of each collection: verify, download, restore, and their schedules and restore drills. Refreshes live while any backup runs." />
      <BackupFlags overview={asJson(overview)} />
      <BackupsTable initial={asJson(initial)} filter={filter} collections={collections} canStart={can(role, "operation.start")} canDelete={can(role, "backup.delete")} />
      {can(role, "operation.start") && <ImportBackupForm />}
      <SchedulesTable overview={asJson(overview)} canManage={can(role, "backup_schedule.manage")} />
    </>
  );
}
