/**
 * Where the accounts list was (its ?q=, filters and sort), so "Customers" in an account's
 * breadcrumb goes back to the same search rather than to the top.
 */
let lastListSearch = "";

export function rememberAccountsListSearch(search: string): void {
  lastListSearch = search && !search.startsWith("?") ? `?${search}` : search;
}

export function accountsListHref(): string {
  return `/accounts${lastListSearch}`;
}
