import type { ReactNode } from "react";
import { CollectionHeader } from "../_components/collection-header";
import { loadCollection } from "./load";

/** Header and tabs for every tab; each tab's page loads only what it shows. */
export default async function CollectionLayout({ params, children }: { params: Promise<{ id: string }>; children: ReactNode }) {
  const { id } = await params;
  const { detail } = await loadCollection(id);
  return (
    <>
      <CollectionHeader initial={detail} />
      {children}
    </>
  );
}
