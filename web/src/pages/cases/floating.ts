/**
 * True while a dialog, a menu or a dropdown list is open. Mantine keeps closed dropdowns in
 * the DOM (display: none), so presence alone says nothing: only a rendered one counts.
 */
export function isFloatingOpen(): boolean {
  if (document.querySelector("[role='dialog'][aria-modal='true'], [role='menu']")) return true;
  for (const node of document.querySelectorAll<HTMLElement>(".mantine-Popover-dropdown")) {
    if (node.getClientRects().length > 0) return true;
  }
  return false;
}
