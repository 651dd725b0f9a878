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
};

export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message?: string) {
    super(message ?? code);
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
