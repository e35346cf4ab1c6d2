"use client";

import { Container, Menu } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Sheet } from "@/components/ui/sheet";
import { isNavItemActive, navItems } from "./nav-items";

function ProductName() {
  return (
    <Link href="/" className="flex items-center gap-2 px-2 text-base font-semibold tracking-tight">
      <Container className="size-5 text-primary" />
      Stevedore
    </Link>
  );
}

function MainNav({ onNavigate }: { onNavigate?: () => void }) {
  const pathname = usePathname() ?? "/";
  return (
    <nav aria-label="Main">
      <ul className="space-y-0.5">
        {navItems.map(({ label, href, icon: Icon }) => {
          const active = isNavItemActive(href, pathname);
          return (
            <li key={href}>
              <Link
                href={href}
                onClick={onNavigate}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "flex items-center gap-3 rounded-md px-2 py-1.5 text-sm outline-none transition-colors focus-visible:ring-2 focus-visible:ring-ring",
                  active
                    ? "bg-accent font-medium text-accent-foreground"
                    : "text-muted-foreground hover:bg-accent/60 hover:text-foreground",
                )}
              >
                <Icon className="size-4 shrink-0" />
                {label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** The persistent sidebar on medium screens and up. */
export function Sidebar({ className }: { className?: string }) {
  return (
    <aside className={cn("hidden w-56 shrink-0 flex-col gap-6 border-r bg-card px-3 py-4 md:flex", className)}>
      <ProductName />
      <MainNav />
    </aside>
  );
}

/** On narrow screens the sidebar folds into a drawer behind a menu button. */
export function MobileNav() {
  const [open, setOpen] = useState(false);
  return (
    <div className="md:hidden">
      <Button variant="ghost" size="icon" aria-label="Open menu" onClick={() => setOpen(true)}>
        <Menu />
      </Button>
      <Sheet open={open} onOpenChange={setOpen} title="Stevedore" side="left" className="max-w-72">
        <MainNav onNavigate={() => setOpen(false)} />
      </Sheet>
    </div>
  );
}
