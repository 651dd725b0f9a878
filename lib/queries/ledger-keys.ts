// TanStack Query keys for the member's ledger; actions that move points invalidate `all`.
export const ledgerKeys = {
  all: ["ledger"] as const,
  activity: () => [...ledgerKeys.all, "activity"] as const,
};

export const ACTIVITY_PAGE_SIZE = 25;
