/** Errors of the emulated ARM API. */

/** A request the caller got wrong; the service answers it with an ARM 4xx error. */
export class ArmRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
