// One error type for expected failures. Codes are stable and translated at the edge.
export const errorCodes = [
  "BAD_REQUEST",
  "VALIDATION",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "MEMBER_NOT_FOUND",
  "REWARD_NOT_FOUND",
  "INSUFFICIENT_POINTS",
  "REWARD_OUT_OF_STOCK",
  "REWARD_INACTIVE",
  "NOT_ENROLLED",
  "ALREADY_ENROLLED",
  "EMAIL_TAKEN",
  "EXTERNAL_ID_TAKEN",
  "ORDER_EXISTS",
  "IDEMPOTENCY_CONFLICT",
  "IDEMPOTENCY_IN_PROGRESS",
  "INVALID_CREDENTIALS",
  "RATE_LIMITED",
  "CONFLICT",
  "TIER_REQUIRED",
  "REWARD_LIMIT_REACHED",
  "CODE_TAKEN",
  "OFFER_ENDED",
  "CURRENCY_MISMATCH",
  "CODE_EXPIRED",
  "LINK_INVALID",
  "WRONG_PASSWORD",
  "MEMBER_DEACTIVATED",
  "SETUP_DONE",
] as const;

export type ErrorCode = (typeof errorCodes)[number];

const httpStatus: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  VALIDATION: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  MEMBER_NOT_FOUND: 404,
  REWARD_NOT_FOUND: 404,
  INSUFFICIENT_POINTS: 422,
  REWARD_OUT_OF_STOCK: 409,
  REWARD_INACTIVE: 422,
  NOT_ENROLLED: 422,
  ALREADY_ENROLLED: 409,
  EMAIL_TAKEN: 409,
  EXTERNAL_ID_TAKEN: 409,
  ORDER_EXISTS: 409,
  IDEMPOTENCY_CONFLICT: 409,
  IDEMPOTENCY_IN_PROGRESS: 409,
  INVALID_CREDENTIALS: 401,
  RATE_LIMITED: 429,
  CONFLICT: 409,
  TIER_REQUIRED: 403,
  REWARD_LIMIT_REACHED: 409,
  CODE_TAKEN: 409,
  OFFER_ENDED: 409,
  CURRENCY_MISMATCH: 422,
  CODE_EXPIRED: 409,
  LINK_INVALID: 410,
  WRONG_PASSWORD: 422,
  MEMBER_DEACTIVATED: 403,
  SETUP_DONE: 409,
};

// Default English messages for API consumers; people see translated messages keyed by code.
const defaultMessages: Record<ErrorCode, string> = {
  BAD_REQUEST: "the request could not be read",
  VALIDATION: "the request is invalid",
  UNAUTHENTICATED: "authentication required",
  FORBIDDEN: "not allowed",
  NOT_FOUND: "not found",
  MEMBER_NOT_FOUND: "no member with this id in the program",
  REWARD_NOT_FOUND: "no reward with this id in the program",
  INSUFFICIENT_POINTS: "the member does not have enough available points; nothing was deducted",
  REWARD_OUT_OF_STOCK: "the reward is out of stock; nothing was deducted",
  REWARD_INACTIVE: "the reward is not available now; nothing was deducted",
  NOT_ENROLLED: "the customer has not joined the program",
  ALREADY_ENROLLED: "the customer has already joined the program",
  EMAIL_TAKEN: "an account with this email already exists",
  EXTERNAL_ID_TAKEN: "this external id is already used",
  ORDER_EXISTS: "an order with this external id was already recorded",
  IDEMPOTENCY_CONFLICT: "this Idempotency-Key was already used with a different request",
  IDEMPOTENCY_IN_PROGRESS: "a request with this Idempotency-Key is still being processed",
  INVALID_CREDENTIALS: "email or password is incorrect",
  RATE_LIMITED: "too many requests",
  CONFLICT: "conflicts with a concurrent change",
  TIER_REQUIRED: "this reward is only for members of certain tiers; nothing was deducted",
  REWARD_LIMIT_REACHED: "the member has redeemed this reward as often as allowed; nothing was deducted",
  CODE_TAKEN: "another offer already uses this code",
  OFFER_ENDED: "the offer has ended and can no longer be changed",
  CURRENCY_MISMATCH: "the order is not in the program currency; nothing was recorded",
  CODE_EXPIRED: "this code has expired; the points spent on it are not refunded",
  LINK_INVALID: "this link has expired or was already used",
  WRONG_PASSWORD: "the current password is incorrect",
  MEMBER_DEACTIVATED: "the member is deactivated: no earning or redeeming until staff reactivate them",
  SETUP_DONE: "this installation is already set up",
};

export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message?: string) {
    super(message ?? defaultMessages[code]);
    this.name = "AppError";
    this.code = code;
  }
  get status(): number {
    return httpStatus[this.code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
