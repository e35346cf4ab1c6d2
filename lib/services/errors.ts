/** Errors a service verb may throw on purpose; adapters map them to HTTP statuses and form results. */
export type ServiceErrorCode = "unauthenticated" | "forbidden" | "invalid" | "not_found" | "conflict" | "rate_limited" | "unavailable";

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

export const forbidden = (message = "You do not have permission to do this.") => new ServiceError("forbidden", message);
export const notFound = (what: string) => new ServiceError("not_found", `${what} was not found.`);
export const conflict = (message: string, fieldErrors?: Record<string, string[]>) => new ServiceError("conflict", message, fieldErrors);

export const HTTP_STATUS: Record<ServiceErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  invalid: 400,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};
