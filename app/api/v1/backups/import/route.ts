import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { withUploadForm } from "@/lib/api/uploads";
import { env } from "@/lib/env";
import { authorizeImport, importBackup } from "@/lib/services/backup/manage";

export const dynamic = "force-dynamic";

/** multipart/form-data: `file` (a .jsonl.gz backup) and optional `note`. Read whole and verified before it is kept: 201 with the backup. */
export const POST = apiRoute(async (ctx, request) => {
  await authorizeImport(ctx);
  const max = env().STEVEDORE_MAX_BACKUP_UPLOAD_BYTES;
  const backup = await withUploadForm(request, ({ fields, files }) => importBackup({ ctx, input: { note: fields.note }, file: files[0] }), { maxUploadBytes: max + 1024 * 1024, maxFileBytes: max });
  return NextResponse.json({ data: backup }, { status: 201 });
}, { accepts: "json-or-multipart" });

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
