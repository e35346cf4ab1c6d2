import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { sessionContext } from "@/lib/auth/actor";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const ctx = await sessionContext();
  if (!ctx || !ctx.actor.role) redirect("/login");
  return <AppShell user={{ name: ctx.actor.name ?? ctx.actor.email, email: ctx.actor.email, role: ctx.actor.role }}>{children}</AppShell>;
}
