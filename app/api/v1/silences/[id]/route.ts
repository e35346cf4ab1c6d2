import { apiRoute, jsonFields } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { deleteSilence, expireSilence, extendSilence } from "@/lib/services/silences/change-silence";
import { getSilence } from "@/lib/services/silences/read-silences";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>((ctx, _request, { id }) => getSilence({ ctx, input: { silenceId: id } }));
/** `{ "expire": true }` ends it now; `{ "endsAt": … }` moves its end. */
export const PATCH = apiRoute<{ id: string }>(async (ctx, request, { id }) => {
  const { expire, ...fields } = await jsonFields(request);
  return expire === true ? expireSilence({ ctx, input: { silenceId: id } }) : extendSilence({ ctx, input: { ...fields, silenceId: id } });
});
export const DELETE = apiRoute<{ id: string }>((ctx, _request, { id }) => deleteSilence({ ctx, input: { silenceId: id } }));

export const { POST, PUT, OPTIONS } = otherMethods({ GET, PATCH, DELETE });
