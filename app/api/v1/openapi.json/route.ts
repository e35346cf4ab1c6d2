import { NextResponse } from "next/server";
import { otherMethods } from "@/lib/api/methods";
import { openApiDocument } from "@/lib/api/openapi/document";

export const dynamic = "force-dynamic";

/** The API's shape, generated from the verbs' zod schemas (lib/api/openapi); no authentication, as for the 405 answers. */
export async function GET() {
  return NextResponse.json(openApiDocument(), { headers: { "cache-control": "no-cache" } });
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
