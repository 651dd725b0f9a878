"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

export function NavLink({ href, children, className = "", isExact = false }: { href: string; children: ReactNode; className?: string; isExact?: boolean }) {
  const pathname = usePathname();
  const isActive = pathname === href || (!isExact && pathname.startsWith(`${href}/`));
  return (
    <Link
      href={href}
      aria-current={isActive ? "page" : undefined}
      className={`inline-flex min-h-11 items-center rounded-lg px-3 text-sm font-semibold ${isActive ? "bg-brand-100 text-brand-800" : "text-stone-800 hover:bg-stone-200"} ${className}`}
    >
      {children}
    </Link>
  );
}
