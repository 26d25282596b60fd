/**
 * A wide table on a narrow screen: it scrolls sideways inside this region instead of widening
 * the page. The region is named (`label`) and focusable, so a keyboard can scroll it too.
 */
import type { ReactNode } from "react";

export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    // focusable: a keyboard must be able to scroll the region (WCAG 2.1.1)
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
