"use client";

import { LogOut } from "lucide-react";
import { signOut } from "next-auth/react";
import { Badge, type BadgeProps } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { MobileNav } from "./sidebar";
import { ThemeToggle } from "./theme-toggle";

export type ShellUser = { name: string; email: string; role: "viewer" | "operator" | "admin" };

const roleBadgeVariant: Record<ShellUser["role"], BadgeProps["variant"]> = {
  viewer: "outline",
  operator: "secondary",
  admin: "default",
};

export function Header({ user }: { user: ShellUser }) {
  return (
    <header className="sticky top-0 z-10 flex h-14 items-center gap-3 border-b bg-background/95 px-4 backdrop-blur md:px-6">
      <MobileNav />
      <div className="ml-auto flex min-w-0 items-center gap-3">
        <div className="min-w-0 text-right leading-tight">
          <p className="truncate text-sm font-medium">{user.name}</p>
          <p className="hidden truncate text-xs text-muted-foreground sm:block">{user.email}</p>
        </div>
        <Badge variant={roleBadgeVariant[user.role]}>
          <span className="sr-only">Role: </span>
          {user.role}
        </Badge>
        <ThemeToggle />
        <Button variant="outline" size="sm" onClick={() => void signOut({ callbackUrl: "/login" })}>
          <LogOut />
          <span className="sr-only sm:not-sr-only">Sign out</span>
        </Button>
      </div>
    </header>
  );
}
